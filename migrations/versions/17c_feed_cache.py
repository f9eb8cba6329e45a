"""feed cache: each feed's built text, and the generation that invalidates it

Revision ID: 17c_feed_cache
Revises: (chained at merge, see down_revision)
Create Date: 2026-12-02 05:05:00

"""

import sqlalchemy as sa
from alembic import op

import coordination.core.types

# revision identifiers, used by Alembic.
revision = "17c_feed_cache"
down_revision = "editions_13b"
branch_labels = None
depends_on = None


def upgrade():
    generation = op.create_table(
        "feed_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_generation")),
    )
    op.bulk_insert(generation, [{"id": 1, "value": 0}])
    op.create_table(
        "feed_cache",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("etag", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("filename", sa.String(length=100), nullable=False),
        sa.Column("cache_control", sa.String(length=40), nullable=False),
        sa.Column("built_at", coordination.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_feed_cache")),
    )


def downgrade():
    op.drop_table("feed_cache")
    op.drop_table("feed_generation")
