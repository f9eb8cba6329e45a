"""Planner runs: solves of an edition outside the web request, one active per edition.

Revision ID: planner_15
Revises: hardening_14
"""

import sqlalchemy as sa
from alembic import op

import coordination.core.types

revision = "planner_15"
down_revision = "hardening_14"
branch_labels = None
depends_on = None

ACTIVE_WHERE = "status IN ('queued', 'running')"


def upgrade():
    op.create_table(
        "planner_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("best_plan", sa.JSON(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("created_at", coordination.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", coordination.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", coordination.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", coordination.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_planner_runs_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["editions.id"],
            name=op.f("fk_planner_runs_edition_id_editions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planner_runs")),
    )
    with op.batch_alter_table("planner_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_planner_runs_edition_id"), ["edition_id"], unique=False
        )
        batch_op.create_index(
            "ix_planner_runs_status_created", ["status", "created_at"], unique=False
        )
        batch_op.create_index(
            "uq_planner_runs_active_edition",
            ["edition_id"],
            unique=True,
            sqlite_where=sa.text(ACTIVE_WHERE),
            postgresql_where=sa.text(ACTIVE_WHERE),
        )


def downgrade():
    with op.batch_alter_table("planner_runs", schema=None) as batch_op:
        batch_op.drop_index("uq_planner_runs_active_edition")
        batch_op.drop_index("ix_planner_runs_status_created")
        batch_op.drop_index(batch_op.f("ix_planner_runs_edition_id"))
    op.drop_table("planner_runs")
