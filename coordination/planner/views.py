"""The planner's staff screen."""

from flask import Blueprint

bp = Blueprint("planner", __name__)
