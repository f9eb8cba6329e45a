"""Review criteria with stable ids: scores keyed by criterion id, not position

Revision ID: editions_13b
Revises: planner_15

"""

import json

import sqlalchemy as sa
from alembic import op

revision = "editions_13b"
down_revision = "planner_15"
branch_labels = None
depends_on = None

calls = sa.table("calls", sa.column("id", sa.Integer), sa.column("criteria", sa.JSON))
criteria = sa.table(
    "call_criteria",
    sa.column("id", sa.Integer),
    sa.column("call_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("label_fr", sa.String),
    sa.column("label_en", sa.String),
    sa.column("is_retired", sa.Boolean),
)
applications = sa.table("applications", sa.column("id", sa.Integer), sa.column("call_id", sa.Integer))
reviews = sa.table(
    "reviews",
    sa.column("id", sa.Integer),
    sa.column("application_id", sa.Integer),
    sa.column("scores", sa.JSON),
)


def _as_data(value):
    # Some drivers hand JSON back as text.
    return json.loads(value) if isinstance(value, str) else (value or {})


def _call_reviews(bind, call_id):
    return bind.execute(
        sa.select(reviews.c.id, reviews.c.scores)
        .join(applications, applications.c.id == reviews.c.application_id)
        .where(applications.c.call_id == call_id)
    ).all()


def upgrade():
    op.create_table(
        "call_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label_fr", sa.String(length=300), nullable=False),
        sa.Column("label_en", sa.String(length=300), nullable=False),
        sa.Column("is_retired", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_call_criteria_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_criteria")),
    )
    with op.batch_alter_table("call_criteria", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_criteria_call_id"), ["call_id"], unique=False)

    # Each criterion of the JSON list becomes a row; scores move from its index to its id.
    bind = op.get_bind()
    for call_id, listed in bind.execute(sa.select(calls.c.id, calls.c.criteria)).all():
        ids = {}
        for index, item in enumerate(_as_data(listed) or []):
            ids[str(index)] = bind.execute(
                criteria.insert()
                .values(
                    call_id=call_id,
                    position=(index + 1) * 10,
                    label_fr=(item.get("fr") or "")[:300],
                    label_en=(item.get("en") or "")[:300],
                    is_retired=False,
                )
                .returning(criteria.c.id)
            ).scalar_one()
        for review_id, scores in _call_reviews(bind, call_id):
            moved = {str(ids[k]): v for k, v in _as_data(scores).items() if k in ids}
            bind.execute(reviews.update().where(reviews.c.id == review_id).values(scores=moved))

    # Natively (SQLite >= 3.35), not by batch: SQLite's batch copies and drops the table,
    # and dropping `calls` would cascade to every application and review.
    op.execute("ALTER TABLE calls DROP COLUMN criteria")


def downgrade():
    op.add_column(
        "calls", sa.Column("criteria", sa.JSON(), nullable=False, server_default="[]")
    )

    bind = op.get_bind()
    for (call_id,) in bind.execute(sa.select(calls.c.id)).all():
        rows = bind.execute(
            sa.select(criteria.c.id, criteria.c.label_fr, criteria.c.label_en)
            .where(criteria.c.call_id == call_id)
            .order_by(criteria.c.position, criteria.c.id)
        ).all()
        positions = {str(row.id): str(index) for index, row in enumerate(rows)}
        bind.execute(
            calls.update()
            .where(calls.c.id == call_id)
            .values(criteria=[{"fr": row.label_fr, "en": row.label_en} for row in rows])
        )
        for review_id, scores in _call_reviews(bind, call_id):
            moved = {positions[k]: v for k, v in _as_data(scores).items() if k in positions}
            bind.execute(reviews.update().where(reviews.c.id == review_id).values(scores=moved))

    with op.batch_alter_table("call_criteria", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_criteria_call_id"))
    op.drop_table("call_criteria")
