"""``payables``: the command line. Each command lives in its own module, imported only when it runs,
so ``payables --help`` is instant and a worker does not load the web app (or the web app torch)."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
from typing import Any

import click

from models.errors import PayablesError

# name → (module exposing ``command``, one-line help). A new command is one line here and its module.
COMMANDS: dict[str, tuple[str, str]] = {
    "process": ("payables.cli.process", "Ingest files or folders and run the whole pipeline on them."),
    "worker": ("payables.cli.worker", "Run a pipeline worker against the configured broker."),
    "db": ("payables.cli.db", "Database migrations."),
    "demo": ("payables.cli.demo", "Run the demo: a generated AP world through the pipeline, then the UI."),
    "watch": ("payables.cli.watch", "Consume a scanner drop folder (or a bucket prefix)."),
    "mail": ("payables.cli.mail", "Mail intake: poll an IMAP mailbox or receive over SMTP."),
    "extract": ("payables.cli.extract", "Extract fields from documents and print JSON lines."),
    "eval": ("payables.cli.eval", "Score extraction against a corpus with truth files."),
    "train": ("payables.cli.train", "Train the learned extraction models on generated and corpus data."),
    "synth": ("payables.cli.synth", "Generate a synthetic AP world: ERP snapshot, invoices, truth."),
    "erp": ("payables.cli.erp", "The ERP mirror: import a snapshot, sync from Odoo, seed Odoo."),
    "match": ("payables.cli.match", "Run a generated world's scenarios through matching and report."),
    "serve": ("payables.cli.serve", "Serve the review UI."),
    "user": ("payables.cli.user", "Manage review UI users."),
    "users": ("payables.cli.users", "Reports on users for access reviews."),
    "audit": ("payables.cli.audit", "Audit log: verify the hash chain, export."),
    "retention": ("payables.cli.retention", "Apply the document retention policy."),
    "backup": ("payables.cli.backup", "Back up the database and object-store metadata."),
    "restore": ("payables.cli.restore", "Restore a backup into an empty system."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (module, _) in COMMANDS.items() if importlib.util.find_spec(module)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None or importlib.util.find_spec(entry[0]) is None:
            return None
        command: click.Command = importlib.import_module(entry[0]).command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """payables: accounts-payable document intelligence for Odoo."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main(argv: list[str] | None = None) -> Any:
    try:
        return cli.main(args=argv, prog_name="payables", standalone_mode=True)
    except PayablesError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
