"""A worker's start: pay the first-use costs before the first request, then freeze the heap."""

import gc
from contextlib import suppress

from flask import Flask
from jinja2 import TemplateNotFound
from sqlalchemy import select, text

from coordination.core.clock import utcnow


def warm_up(app: Flask) -> None:
    """Open a database connection, compile a query of every entity (SQLAlchemy works out
    each one's loading on its first query: 200 ms of a cold worker's first feed), import and
    build what the first feed and page would (icalendar's VTIMEZONE, the Jinja base
    templates), then move every object alive now
    into the permanent generation so full collections no longer walk the app's ~250,000
    start-up objects (150-200 ms each on this machine, the pages' slow p95 requests)."""
    from coordination.calendar import ics_text

    with app.app_context():
        from coordination.extensions import db

        db.session.execute(text("SELECT 1"))
        db.session.remove()
        for mapper in db.Model.registry.mappers:  # each entity's first compilation is slow
            select(mapper.class_).compile(db.engine)
        year = utcnow().year
        ics_text.vtimezone(app.config["TIMEZONE"], year - 1, year + 2)
        for name in ("base.html", "emails/base.html"):
            with suppress(TemplateNotFound):  # a template renamed must not stop a worker
                app.jinja_env.get_template(name)
    gc.collect()
    gc.freeze()
