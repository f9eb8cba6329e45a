"""What every request must satisfy, checked once where requests come in.

PostgreSQL refuses a NUL character in text ("A string literal cannot contain NUL"), so a
NUL anywhere a request carries text (its path, query string, form fields, file names,
JSON body or headers) would turn into a 500 deep inside a view. It is refused here, for
every route at once, with a 400 page in the user's language.
"""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _

NUL = "\x00"


def _has_nul(value) -> bool:
    """Whether a decoded value (text, or JSON made of dicts, lists and text) holds a NUL."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def request_has_nul() -> bool:
    """Whether the current request carries a NUL character anywhere it could reach storage."""
    if NUL in request.path or b"\x00" in request.query_string:
        return True
    if any(_has_nul(key) or _has_nul(value) for key, value in request.args.items(multi=True)):
        return True
    if any(_has_nul(key) or _has_nul(value) for key, value in request.headers.items()):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.is_json:
        return _has_nul(request.get_json(silent=True))
    if any(_has_nul(key) or _has_nul(value) for key, value in request.form.items(multi=True)):
        return True
    return any(
        _has_nul(key) or _has_nul(upload.filename or "")
        for key, upload in request.files.items(multi=True)
    )


def register_request_guards(app: Flask) -> None:
    """Refuse, before any view runs, a request no view should have to defend against."""

    @app.before_request
    def refuse_nul_characters():
        if not request_has_nul():
            return None
        message = _("The request contains a character that is not allowed (a NUL character).")
        if request.path.startswith("/api/") or request.is_json:
            return jsonify(error=message), 400
        return render_template("errors/error.html", code=400, message=message), 400
