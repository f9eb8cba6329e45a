"""Hardening: when each person joined a draft application

Revision ID: hardening_14
Revises: accounts_13a
Create Date: 2026-12-02 01:15:00

"""

import sqlalchemy as sa
from alembic import op

import coordination.core.types

# revision identifiers, used by Alembic.
revision = "hardening_14"
down_revision = "accounts_13a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "joined_at", coordination.core.types.UTCDateTime(timezone=True), nullable=True
            )
        )


def downgrade():
    with op.batch_alter_table("application_members", schema=None) as batch_op:
        batch_op.drop_column("joined_at")
