"""Planning views for staff and the public pages of the stops."""

from flask import Blueprint

bp = Blueprint("stops", __name__)
