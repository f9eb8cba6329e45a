"""outbox pauses: a provider's rate limit, seen by every delivery worker

Revision ID: outbox_20
Revises: e8f0d0ee7c40
Create Date: 2026-12-02 01:10:00

"""

import sqlalchemy as sa
from alembic import op

import coordination.core.types

# revision identifiers, used by Alembic.
revision = "outbox_20"
down_revision = "e8f0d0ee7c40"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_pauses",
        sa.Column("backend", sa.String(length=20), nullable=False),
        sa.Column(
            "paused_until", coordination.core.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("updated_at", coordination.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("backend", name=op.f("pk_outbox_pauses")),
    )


def downgrade():
    op.drop_table("outbox_pauses")
