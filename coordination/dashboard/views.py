"""Map, timeline and figures."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)
