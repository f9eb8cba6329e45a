"""message holds: staff hold a planned automated message, or a whole kind, for one stop

Revision ID: 18a_message_holds
Revises: (chained at merge, see down_revision)
Create Date: 2026-12-02 05:10:00

"""

import sqlalchemy as sa
from alembic import op

import coordination.core.types

# revision identifiers, used by Alembic.
revision = "18a_message_holds"
down_revision = "18c_group_messages"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "message_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("held_by_id", sa.Integer(), nullable=True),
        sa.Column("held_at", coordination.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "released_at", coordination.core.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["editions.id"],
            name=op.f("fk_message_holds_edition_id_editions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stop_id"],
            ["stops.id"],
            name=op.f("fk_message_holds_stop_id_stops"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["held_by_id"],
            ["users.id"],
            name=op.f("fk_message_holds_held_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["released_by_id"],
            ["users.id"],
            name=op.f("fk_message_holds_released_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_holds")),
    )
    with op.batch_alter_table("message_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_holds_edition_id"), ["edition_id"])
        batch_op.create_index(batch_op.f("ix_message_holds_stop_id"), ["stop_id"])


def downgrade():
    with op.batch_alter_table("message_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_holds_stop_id"))
        batch_op.drop_index(batch_op.f("ix_message_holds_edition_id"))
    op.drop_table("message_holds")
