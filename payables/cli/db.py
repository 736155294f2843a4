"""``payables db upgrade|downgrade|current``."""

from __future__ import annotations

import click

from models import migrate
from payables.settings import load_settings


@click.group()
def command() -> None:
    """Database migrations (Alembic), on the configured database."""


@command.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.db_url, revision)
    click.echo(f"database at revision {migrate.current(settings.db_url)}")


@command.command()
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Migrate the database down to REVISION ("base" removes every table)."""
    settings = load_settings()
    migrate.downgrade(settings.db_url, revision)
    click.echo(f"database at revision {migrate.current(settings.db_url)}")


@command.command()
def current() -> None:
    """Print the database's revision."""
    click.echo(migrate.current(load_settings().db_url) or "empty")
