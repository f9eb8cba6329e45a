"""group messages, mail preferences, delivery events and suppressions

Revision ID: 18c_group_messages
Revises: (chained at merge, see down_revision)
Create Date: 2026-12-02 05:00:00

"""

import sqlalchemy as sa
from alembic import op

import coordination.core.types

# revision identifiers, used by Alembic.
revision = "18c_group_messages"
down_revision = "18b_message_templates"
branch_labels = None
depends_on = None

UTC = coordination.core.types.UTCDateTime(timezone=True)


def upgrade():
    with op.batch_alter_table("outbox_messages") as batch:
        batch.add_column(sa.Column("headers", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("delivery_status", sa.String(length=20), nullable=True))
    with op.batch_alter_table("outbox_messages") as batch:
        batch.alter_column("headers", server_default=None)

    op.create_table(
        "group_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("group_kind", sa.String(length=20), nullable=False),
        sa.Column("group_params", sa.JSON(), nullable=False),
        sa.Column("group_label", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("subject_en", sa.String(length=300), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["users.id"],
            name=op.f("fk_group_messages_sender_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_messages")),
    )
    op.create_table(
        "mail_opt_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_opt_outs")),
        sa.UniqueConstraint("email", "kind", name=op.f("uq_mail_opt_outs_email")),
    )
    op.create_index(op.f("ix_mail_opt_outs_email"), "mail_opt_outs", ["email"])
    op.create_table(
        "mail_suppressions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("lifted_at", UTC, nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"],
            ["users.id"],
            name=op.f("fk_mail_suppressions_lifted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_suppressions")),
        sa.UniqueConstraint("email", name=op.f("uq_mail_suppressions_email")),
    )
    op.create_table(
        "delivery_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sg_event_id", sa.String(length=100), nullable=False),
        sa.Column("outbox_message_id", sa.Integer(), nullable=True),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("occurred_at", UTC, nullable=False),
        sa.Column("received_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_message_id"],
            ["outbox_messages.id"],
            name=op.f("fk_delivery_events_outbox_message_id_outbox_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_events")),
        sa.UniqueConstraint("sg_event_id", name=op.f("uq_delivery_events_sg_event_id")),
    )
    op.create_index(
        op.f("ix_delivery_events_outbox_message_id"), "delivery_events", ["outbox_message_id"]
    )


def downgrade():
    op.drop_index(op.f("ix_delivery_events_outbox_message_id"), table_name="delivery_events")
    op.drop_table("delivery_events")
    op.drop_table("mail_suppressions")
    op.drop_index(op.f("ix_mail_opt_outs_email"), table_name="mail_opt_outs")
    op.drop_table("mail_opt_outs")
    op.drop_table("group_messages")
    with op.batch_alter_table("outbox_messages") as batch:
        batch.drop_column("delivery_status")
        batch.drop_column("headers")
