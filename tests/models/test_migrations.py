"""Migrations build exactly the tables the models declare, up and down, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from models.migrate import current, downgrade, upgrade
from models.schema import metadata


def _diffs(url: str) -> list[object]:
    engine = create_engine(url)
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata))


def test_sqlite_head_matches_the_models_and_downgrades_to_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    assert _diffs(url) == []
    downgrade(url, "base")
    assert current(url) is None
    assert set(inspect(create_engine(url)).get_table_names()) <= {"alembic_version"}


@pytest.mark.servers
def test_postgres_upgrade_downgrade_upgrade(postgres_url: str) -> None:
    upgrade(postgres_url)
    assert current(postgres_url) is not None
    assert _diffs(postgres_url) == []
    downgrade(postgres_url, "base")
    assert set(inspect(create_engine(postgres_url)).get_table_names()) <= {"alembic_version"}
    upgrade(postgres_url)
    assert _diffs(postgres_url) == []


@pytest.mark.servers
def test_postgres_refuses_to_rewrite_the_audit_log(postgres_url: str) -> None:
    upgrade(postgres_url)
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, actor, action, changes, prev_hash, hash) "
                          "VALUES (now(), 'system:test', 'x', '{}', :p, :h)"), {"p": "0" * 64, "h": "1" * 64})
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
