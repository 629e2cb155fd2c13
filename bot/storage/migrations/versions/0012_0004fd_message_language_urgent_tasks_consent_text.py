"""message language; urgent support tasks; consent text hash and language

Revision ID: 0004fd
Revises: 0004hd
Create Date: 2026-12-07 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004fd"
down_revision = "0004hd"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    with op.batch_alter_table("support_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_column("language")
        batch_op.drop_column("text_hash")
    with op.batch_alter_table("support_tasks", schema=None) as batch_op:
        batch_op.drop_column("urgent")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("language")
