"""The migrations build exactly the schema the models describe, and come back down."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from config import TestConfig
from coordination import create_app
from coordination.extensions import db


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_matches_the_models_and_downgrade_removes_everything(empty_database_url, tmp_path):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = empty_database_url
    config.INSTANCE_DIR = tmp_path
    app = create_app(config)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert "outbox_messages" in inspect(db.engine).get_table_names()
        db.engine.dispose()
