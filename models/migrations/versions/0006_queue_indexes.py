"""indexes for the review queue: open holds by code, open tasks by document

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

Additive only. With 10,000 open items the queue's counts by hold code and its row count read these
indexes instead of the tables (bench/ui.py).
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.create_index("ix_holds_status_code_document", ["status", "code", "document_id"], unique=False)
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_review_tasks_status_document", ["status", "document_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_review_tasks_status_document")
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.drop_index("ix_holds_status_code_document")
