"""Registration to stops, check-in, questionnaires and the needs observatory."""

from flask import Blueprint

bp = Blueprint("participants", __name__)
