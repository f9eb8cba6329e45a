"""accounts: audit log, erasure requests, anonymised registrations

Revision ID: accounts_13a
Revises: outbox_20
Create Date: 2026-12-02 01:00:00

"""

import sqlalchemy as sa
from alembic import op

import coordination.core.types

revision = "accounts_13a"
down_revision = "outbox_20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "account_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", coordination.core.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("target_email", sa.String(length=254), nullable=False),
        sa.Column("roles_before", sa.JSON(), nullable=False),
        sa.Column("roles_after", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_account_events_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["users.id"],
            name=op.f("fk_account_events_target_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_events")),
    )
    with op.batch_alter_table("account_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_events_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_account_events_target_id"), ["target_id"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "erasure_requested_at",
                coordination.core.types.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("erased_at", coordination.core.types.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("participant_registrations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "anonymised_at", coordination.core.types.UTCDateTime(timezone=True), nullable=True
            )
        )


def downgrade():
    with op.batch_alter_table("participant_registrations", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
        batch_op.drop_column("erasure_requested_at")

    with op.batch_alter_table("account_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_events_target_id"))
        batch_op.drop_index(batch_op.f("ix_account_events_created_at"))

    op.drop_table("account_events")
