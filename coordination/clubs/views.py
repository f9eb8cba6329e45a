"""Club pages, partner registration, staff approval."""

from flask import Blueprint

bp = Blueprint("clubs", __name__)
