"""The InnovENT-E coordination platform."""

import logging
from pathlib import Path

from flask import Flask, g, has_request_context, jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import joinedload
from werkzeug.routing import IntegerConverter

from config import BASE_DIR, Config
from coordination.core.guards import register_request_guards
from coordination.core.text import parse_id
from coordination.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config: Config | None = None) -> Flask:
    """Build the application: extensions, blueprints, CLI, digest sections, scheduler."""
    config = config or Config()
    app = Flask(
        __name__,
        instance_path=str(config.INSTANCE_DIR),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    app.config.from_object(config)
    # Ids in URLs fit the databases' integers: a larger one is a 404, not an overflow.
    app.url_map.converters["int"] = DatabaseIntConverter
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    from coordination import models  # noqa: F401  (every table known to Alembic)

    db.init_app(app)
    _configure_sqlite(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    # Before CSRF and every view: a request with a NUL is refused whatever it asks.
    register_request_guards(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app, locale_selector=select_locale, timezone_selector=lambda: app.config["TIMEZONE"]
    )
    _init_login(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_security_headers(app)
    _register_cli(app)
    _register_digest_sections(app)
    _register_message_planners()

    from coordination.calendar.receivers import connect as connect_calendar
    from coordination.core.errors import register_error_handlers
    from coordination.participants.receivers import connect as connect_participants
    from coordination.programmes.receivers import connect as connect_programmes

    connect_calendar()
    from coordination.calendar.cache import FeedFastPath
    from coordination.calendar.cache import listen as watch_feed_changes

    watch_feed_changes()
    app.wsgi_app = FeedFastPath(app, app.wsgi_app)
    connect_participants()
    connect_programmes()

    register_error_handlers(app)

    if app.config["SCHEDULER_IN_APP"]:
        from coordination.scheduler import start_in_app

        start_in_app(app)
    return app


class DatabaseIntConverter(IntegerConverter):
    """The `int` URL converter, bounded to a 32-bit signed integer."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def select_locale() -> str:
    """The user's chosen language, else the session's, else French."""
    languages = ("fr", "en")
    if not has_request_context():
        return "fr"
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    return chosen if chosen in languages else "fr"


def _configure_sqlite(app: Flask) -> None:
    """Let SQLAlchemy, not pysqlite, open transactions (SAVEPOINTs then work), and take the
    write lock at BEGIN: two writers then queue up instead of failing with "locked"."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")
        dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # Reads that write nothing (the feeds' light path) take no write lock.
        read_only = connection.get_execution_options().get("read_only")
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _init_login(app: Flask) -> None:
    from coordination.auth.models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    @login_manager.unauthorized_handler
    def unauthorized():
        # API clients get a JSON 401; people get the sign-in page, then come back.
        if request.path.startswith("/api/"):
            return jsonify(error="authentication required"), 401
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))

    @login_manager.user_loader
    def load_user(user_id: str):
        user_key = parse_id(user_id)
        user = (
            db.session.get(User, user_key, options=[joinedload(User.role_rows)])
            if user_key
            else None
        )
        return user if user is not None and user.is_active else None


def _register_blueprints(app: Flask) -> None:
    from coordination.auth.views import bp as auth_bp
    from coordination.calendar.views import bp as calendar_bp
    from coordination.campaigns.views import bp as campaigns_bp
    from coordination.clubs.views import bp as clubs_bp
    from coordination.dashboard.views import bp as dashboard_bp
    from coordination.editions.views import bp as editions_bp
    from coordination.forums.views import bp as forums_bp
    from coordination.main.views import bp as main_bp
    from coordination.notifications import wording_views  # noqa: F401  (its routes)
    from coordination.notifications.public_views import bp as notifications_public_bp
    from coordination.notifications.views import bp as notifications_bp
    from coordination.participants.views import bp as participants_bp
    from coordination.planner.views import bp as planner_bp
    from coordination.programmes.figures_views import bp as programme_figures_bp
    from coordination.programmes.public_views import bp as programme_public_bp
    from coordination.programmes.views import bp as programmes_bp
    from coordination.stops.views import bp as stops_bp
    from coordination.territories.views import bp as territories_bp

    for blueprint in (
        main_bp,
        auth_bp,
        territories_bp,
        campaigns_bp,
        clubs_bp,
        stops_bp,
        calendar_bp,
        planner_bp,
        dashboard_bp,
        participants_bp,
        notifications_bp,
        notifications_public_bp,
        editions_bp,
        programmes_bp,
        programme_public_bp,
        programme_figures_bp,
        forums_bp,
    ):
        app.register_blueprint(blueprint)


def _register_template_helpers(app: Flask) -> None:
    from coordination.core.formatting import register_filters

    register_filters(app)

    @app.context_processor
    def inject_globals():
        from flask_babel import get_locale

        return {"current_locale": str(get_locale() or "fr")}


def _register_security_headers(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        csp = g.get("content_security_policy") or (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
            "object-src 'none'"
        )
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", g.get("frame_options", "DENY"))
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure or app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def _register_cli(app: Flask) -> None:
    from coordination.cli import register_commands

    register_commands(app)


def _register_message_planners() -> None:
    """Each domain's planners of automated messages, for the agenda (notifications/agenda)."""
    from coordination.calendar.reminders import register_planners as calendar_planners
    from coordination.campaigns.decisions import register_planners as decision_planners
    from coordination.campaigns.reminders import register_planners as campaign_planners
    from coordination.notifications.digest_plan import register_planners as digest_planners
    from coordination.participants.questionnaire_plan import (
        register_planners as questionnaire_planners,
    )
    from coordination.participants.reminders import register_planners as participant_planners

    calendar_planners()
    participant_planners()
    campaign_planners()
    questionnaire_planners()
    decision_planners()
    digest_planners()


def _register_digest_sections(app: Flask) -> None:
    from coordination.campaigns.digest import register_digest_sections as campaigns_sections
    from coordination.clubs.digest import register_digest_sections as clubs_sections
    from coordination.notifications.digest_sections import (
        register_digest_sections as notifications_sections,
    )
    from coordination.stops.digest import register_digest_sections as stops_sections

    with app.app_context():
        campaigns_sections()
        clubs_sections()
        stops_sections()
        notifications_sections()
