"""documents: when retention removed a document's content

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

Additive only. Retention deletes a document's bytes, page words and extracted values after the policy's
period, but keeps the row (and every audit entry about it) as a tombstone.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purged_at", models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("purged_at")
