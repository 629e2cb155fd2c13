"""hardening: throttles (sign-in attempts and code guesses)

Revision ID: 0004hd
Revises: 0004wa
Create Date: 2026-12-07 01:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision = "0004hd"
down_revision = "0004wa"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttles",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("allowed_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("busy_until", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("window_start", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_throttles")),
    )


def downgrade() -> None:
    op.drop_table("throttles")
