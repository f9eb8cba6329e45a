"""The migration to criteria with ids moves existing scores from positions to ids."""

import json

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from config import TestConfig
from coordination import create_app
from coordination.extensions import db
from tests.core.test_migrations import empty_database_url  # noqa: F401  (fixture)

NOW = "2027-01-10 09:00:00+00:00"


def _load(value):
    return json.loads(value) if isinstance(value, str) else value


def test_scores_keyed_by_position_become_keyed_by_criterion_id(
    empty_database_url,  # noqa: F811
    tmp_path,
):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = empty_database_url
    config.INSTANCE_DIR = tmp_path
    app = create_app(config)
    with app.app_context():
        upgrade(revision="e8f0d0ee7c40")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, email, name, locale, is_active, digest_frequency,"
                    " created_at, updated_at) VALUES (1, 'r@example.org', 'R', 'fr', true,"
                    " 'none', :now, :now)"
                ),
                {"now": NOW},
            )
            connection.execute(
                text(
                    "INSERT INTO editions (id, slug, name, kind, status, description, starts_on,"
                    " ends_on, created_at, updated_at) VALUES (1, 'e', 'E', 'tour', 'draft', '',"
                    " '2027-06-01', '2027-10-30', :now, :now)"
                ),
                {"now": NOW},
            )
            connection.execute(
                text(
                    "INSERT INTO calls (id, edition_id, title, description, opens_at, closes_at,"
                    " is_industry_only, is_same_region_review_excluded, reviews_per_application,"
                    " criteria, created_at, updated_at) VALUES (1, 1, 'A', '', :now, :now, true,"
                    " false, 2, :criteria, :now, :now)"
                ),
                {
                    "now": NOW,
                    "criteria": json.dumps(
                        [{"fr": "Ancrage", "en": "Roots"}, {"fr": "Projet", "en": ""}]
                    ),
                },
            )
            connection.execute(
                text(
                    "INSERT INTO applications (id, call_id, status, form_data, created_at,"
                    " updated_at) VALUES (1, 1, 'submitted', '{}', :now, :now)"
                ),
                {"now": NOW},
            )
            connection.execute(
                text(
                    "INSERT INTO reviews (id, application_id, reviewer_id, assigned_at, scores,"
                    " comment, reviewed_at) VALUES (1, 1, 1, :now, :scores, '', :now)"
                ),
                {"now": NOW, "scores": json.dumps({"0": 4, "1": 2})},
            )

        upgrade(revision="editions_13b")

        with db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT id, label_fr, label_en, position, is_retired FROM call_criteria"
                    " WHERE call_id = 1 ORDER BY position"
                )
            ).all()
            scores = _load(connection.execute(text("SELECT scores FROM reviews")).scalar_one())
        assert [(r.label_fr, r.label_en, r.position, bool(r.is_retired)) for r in rows] == [
            ("Ancrage", "Roots", 10, False),
            ("Projet", "", 20, False),
        ]
        assert scores == {str(rows[0].id): 4, str(rows[1].id): 2}

        downgrade(revision="e8f0d0ee7c40")
        with db.engine.connect() as connection:
            criteria = _load(connection.execute(text("SELECT criteria FROM calls")).scalar_one())
            scores = _load(connection.execute(text("SELECT scores FROM reviews")).scalar_one())
        assert criteria == [{"fr": "Ancrage", "en": "Roots"}, {"fr": "Projet", "en": ""}]
        assert scores == {"0": 4, "1": 2}
        db.engine.dispose()
