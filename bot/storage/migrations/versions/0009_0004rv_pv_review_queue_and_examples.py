"""PV review queue, labelled examples, screening tier per message, evidence encrypted at rest

Revision ID: 0004rv
Revises: 0003rm
Create Date: 2026-12-07 01:30:00

Evidence phrases (`pv_case_messages.evidence`) are health text: the column becomes encrypted text. Rows
written before are re-written encrypted when the encryption key is configured (`psp serve`, `psp db upgrade`);
rows that could not be re-written are still read (EncryptedJSON accepts plain JSON), and re-written on the
next upgrade run with the key.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

import bot.storage.types
from bot.storage import crypto

revision = "0004rv"
down_revision = "0003rm"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("screen_tier", sa.String(length=8), nullable=True))

    op.create_table(
        "pv_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("evidence", bot.storage.types.EncryptedJSON(), nullable=False),
        sa.Column("received_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("dismiss_reason", bot.storage.types.Encrypted(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["pv_cases.id"], name=op.f("fk_pv_reviews_case_id_pv_cases")),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_pv_reviews_message_id_messages")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_pv_reviews_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pv_reviews")),
        sa.UniqueConstraint("message_id", name="uq_pv_reviews_message_id"),
    )
    with op.batch_alter_table("pv_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pv_reviews_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index("ix_pv_reviews_status_due", ["status", "due_at"], unique=False)

    op.create_table(
        "pv_examples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("text", bot.storage.types.Encrypted(), nullable=False),
        sa.Column("label", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("screen_tier", sa.String(length=8), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pv_examples")),
    )
    with op.batch_alter_table("pv_examples", schema=None) as batch_op:
        batch_op.create_index("ix_pv_examples_source_created", ["source", "created_at"], unique=False)

    with op.batch_alter_table("pv_case_messages", schema=None) as batch_op:
        batch_op.alter_column(
            "evidence",
            existing_type=sa.JSON(),
            type_=bot.storage.types.EncryptedJSON(),
            existing_nullable=False,
            postgresql_using="evidence::text",
        )
    _encrypt_plain_evidence()


def _encrypt_plain_evidence() -> None:
    """Re-write evidence stored before this revision, encrypted (needs the key; see the module docstring)."""
    try:
        crypto.encrypt("")
    except crypto.CryptoNotConfigured:
        return
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT case_id, message_id, evidence FROM pv_case_messages")).all()
    for case_id, message_id, evidence in rows:
        if evidence is None or crypto.is_encrypted(str(evidence)):
            continue
        value = evidence if isinstance(evidence, str) else json.dumps(evidence, ensure_ascii=False)
        bind.execute(
            sa.text("UPDATE pv_case_messages SET evidence = :e WHERE case_id = :c AND message_id = :m"),
            {"e": crypto.encrypt(value), "c": case_id, "m": message_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("pv_case_messages", schema=None) as batch_op:
        batch_op.alter_column(
            "evidence",
            existing_type=bot.storage.types.EncryptedJSON(),
            type_=sa.JSON(),
            existing_nullable=False,
            postgresql_using="evidence::json",
        )
    with op.batch_alter_table("pv_examples", schema=None) as batch_op:
        batch_op.drop_index("ix_pv_examples_source_created")
    op.drop_table("pv_examples")
    with op.batch_alter_table("pv_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_pv_reviews_status_due")
        batch_op.drop_index(batch_op.f("ix_pv_reviews_patient_id"))
    op.drop_table("pv_reviews")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("screen_tier")
