"""Message templates staff can edit per edition and language; a decision's personal note

Revision ID: 18b_message_templates
Revises: (chained at merge, see down_revision)

"""

import sqlalchemy as sa
from alembic import op

import coordination.core.types

revision = "18b_message_templates"
down_revision = "17c_feed_cache"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "message_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", coordination.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["editions.id"],
            name=op.f("fk_message_templates_edition_id_editions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_message_templates_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_templates")),
        sa.UniqueConstraint(
            "edition_id", "kind", "locale", name=op.f("uq_message_templates_edition_id")
        ),
    )
    with op.batch_alter_table("message_templates") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_templates_edition_id"), ["edition_id"], unique=False
        )
    with op.batch_alter_table("applications") as batch_op:
        batch_op.add_column(
            sa.Column("decision_note", sa.Text(), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("applications") as batch_op:
        batch_op.drop_column("decision_note")
    op.drop_table("message_templates")
