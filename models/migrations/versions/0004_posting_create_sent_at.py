"""postings: when a bill's create call was last sent unanswered

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Additive only: one nullable column. Posting waits this long before sending a second create, since the
first may still be running in Odoo (a timeout does not stop the server's transaction).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('create_sent_at', models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.drop_column('create_sent_at')
