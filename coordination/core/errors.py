"""Error pages in the user's language; JSON for API clients."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, NotFound

from coordination.extensions import db


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register_error_handlers(app: Flask) -> None:
    """Render every HTTP error as a page (or JSON), never as a bare traceback."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("The form expired or was sent from elsewhere. Please try again.")
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        messages = {
            400: _("The request could not be understood."),
            403: _("You do not have access to this page."),
            404: _("This page does not exist, or no longer does."),
            405: _("This action is not allowed here."),
            413: _("The file sent is too large."),
            429: _("Too many attempts. Please wait a moment and try again."),
        }
        message = messages.get(error.code, _("Something went wrong."))
        if _wants_json():
            return jsonify(error=message), error.code
        return render_template("errors/error.html", code=error.code, message=message), error.code

    @app.errorhandler(OverflowError)
    def number_too_large(error):
        # A number no row can have (an id or a page beyond the database's integers).
        db.session.rollback()
        return http_error(NotFound())

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        db.session.rollback()
        message = _("An unexpected error occurred. The team has been told.")
        if _wants_json():
            return jsonify(error=message), 500
        return render_template("errors/error.html", code=500, message=message), 500
