"""Absolute URLs built from BASE_URL, the same in requests, jobs and emails."""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """Return the absolute URL of an endpoint under BASE_URL."""
    return external_url_builder()(endpoint, **values)


def external_url_builder():
    """`external_url` with the URL map bound once, for building many URLs in a row."""
    parts = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return lambda endpoint, **values: adapter.build(endpoint, values, force_external=True)
