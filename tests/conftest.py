"""Shared fixtures: the app, a database rolled back after each test, a client, factories.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
The schema and the reference data are created once per session; each test runs inside
a transaction (SAVEPOINTs for the commits it makes) that is rolled back at its end.
Tests that need real commits seen by other connections use the `committed` fixture.
"""

import itertools
import os
from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session
from sqlalchemy import delete, select, text

from config import TestConfig
from coordination import create_app
from coordination.extensions import db
from coordination.territories.services import load_reference_data

#: The real-browser fixtures (live_server, browser, page), shared by every folder.
pytest_plugins = ["tests.browser.fixtures"]

#: Tables kept between tests: loaded once per session.
REFERENCE_TABLES = {"regions", "departements", "epcis", "communes"}


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context (and `g`)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


class ConnectionBoundSession(Session):
    """Flask-SQLAlchemy's Session sends each model to its engine; keep it on the test's
    connection instead, inside the transaction rolled back after the test."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.INSTANCE_DIR = tmp_path_factory.mktemp("instance")
    config.MAIL_CONSOLE_DIR = str(config.INSTANCE_DIR / "outbox")
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        load_reference_data()
        db.session.commit()
        db.session.remove()
    return app


@pytest.fixture(autouse=True)
def _reset_memory_mail_and_limits(app):
    """Each test starts with an empty memory mailbox and fresh rate-limit counters."""
    from coordination.extensions import limiter

    app.extensions.pop("memory_mail_backend", None)
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def committed(app):
    """Real commits, for tests with several connections; user data is wiped afterwards."""
    app.extensions["committed_test"] = True
    yield
    app.extensions.pop("committed_test", None)
    # The test's own app context is still pushed (db_session tears down last): end its
    # session first, or on SQLite its open transaction would block the wipe.
    db.session.remove()
    wipe_user_data()
    db.session.remove()


def wipe_user_data() -> None:
    """Delete every row but the reference data."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in REFERENCE_TABLES:
            db.session.execute(delete(table))
    db.session.commit()


@pytest.fixture(autouse=True)
def db_session(app, request):
    """An app context whose session is rolled back at the end of the test."""
    with app.app_context():
        if "committed" in request.fixturenames:
            yield db.session
            return
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "class_": ConnectionBoundSession,
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
            }
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            transaction.rollback()
            connection.close()
            db.session = original


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def now() -> datetime:
    """A fixed 'now' for tests that pass time to services: Monday 2 March 2026, 10:00 UTC."""
    return datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def make_user():
    """Create a user with roles (and a password, by default "correct horse battery")."""
    from coordination.auth.services import create_user

    def make(email="someone@example.org", roles=(), password="correct horse battery", **fields):
        user = create_user(email, fields.pop("name", ""), roles, password=password)
        for key, value in fields.items():
            setattr(user, key, value)
        db.session.flush()
        return user

    return make


@pytest.fixture
def staff(make_user):
    return make_user("equipe@example.org", roles=("staff",), name="Camille Staff")


_numbers = itertools.count(1)


@pytest.fixture
def edition():
    """A public edition of the tour, June to October 2026."""
    from coordination.campaigns.models import Edition

    edition = Edition(
        slug=f"tournee-test-{next(_numbers)}",
        status="planned",
        name="Tournée test",
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 10, 30),
    )
    db.session.add(edition)
    db.session.flush()
    return edition


@pytest.fixture
def make_territory():
    """A territory (optionally made of real EPCIs, by SIREN)."""
    from coordination.core.text import search_key
    from coordination.territories.models import Epci, Territory

    def make(name="Pithiverais", region_code="24", sirens=(), is_industry_territory=True):
        territory = Territory(
            name=name,
            search_name=search_key(name),
            region_code=region_code,
            is_industry_territory=is_industry_territory,
            epcis=list(db.session.scalars(select(Epci).where(Epci.siren.in_(sirens))))
            if sirens
            else [],
        )
        db.session.add(territory)
        db.session.flush()
        return territory

    return make


@pytest.fixture
def sign_in(client):
    """Sign a user in through the real form."""

    def do(user, password="correct horse battery"):
        db.session.commit()
        response = client.post("/connexion", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do


@pytest.fixture
def query_counter(app):
    """Count the SQL statements run inside a `with query_counter() as counted:` block."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting():
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting
