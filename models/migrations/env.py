"""Alembic environment: the URL comes from the caller (``payables db upgrade``) or PAYABLES_DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import engine_from_config, pool

from models.schema import metadata

config = context.config
url = config.get_main_option("sqlalchemy.url") or os.environ.get("PAYABLES_DATABASE_URL")
if not url:
    raise RuntimeError("no database URL: pass one to payables db upgrade or set PAYABLES_DATABASE_URL")
config.set_main_option("sqlalchemy.url", url)


def run_migrations() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = engine_from_config(config.get_section(config.config_ini_section) or {},
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
