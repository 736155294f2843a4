"""make the audit log append-only in PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

The application never updates or deletes audit entries; on PostgreSQL the database refuses it too,
so a bug or a hand-typed UPDATE cannot rewrite history. (SQLite, the first-run default, relies on the
hash chain, which ``payables audit verify`` checks.)
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only';
        END;
        $$ LANGUAGE plpgsql;
        """
    )
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;")
    op.execute("DROP FUNCTION IF EXISTS audit_log_refuse_change();")
