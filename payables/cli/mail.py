"""``payables mail poll [--once]`` and ``payables mail serve``: invoices e-mailed to the AP inbox."""

from __future__ import annotations

import ssl
from pathlib import Path

import click

from ingest.mail.imap import Delivery, Mailbox, MailPoller
from models.errors import ConfigurationError
from payables.cli.sources import report, running_pipeline, settle, stop_on_signals
from payables.runtime import Runtime
from payables.settings import Settings


def mailbox_from(settings: Settings) -> Mailbox:
    if not settings.imap_host:
        raise ConfigurationError("no mailbox configured: set PAYABLES_IMAP_HOST, PAYABLES_IMAP_USER and "
                                 "PAYABLES_IMAP_PASSWORD_FILE (see the README, mail intake)")
    return Mailbox(host=settings.imap_host, port=settings.imap_port, user=settings.imap_user or "",
                   password=settings.secret("imap_password") or "", security=settings.imap_security,
                   folder=settings.imap_folder, processed_folder=settings.imap_processed_folder or None)


@click.group()
def command() -> None:
    """Mail intake: poll an IMAP mailbox, or receive mail over SMTP."""


@command.command()
@click.option("--once", is_flag=True, help="Take what is in the mailbox now, wait for the pipeline, print one "
              "line per document, and exit.")
@click.option("--interval", "interval_s", type=float, default=60.0, show_default=True,
              help="Longest wait between polls; with IMAP IDLE new mail is taken as it arrives.")
@click.option("--timeout", "timeout_s", type=float, default=3600.0, show_default=True,
              help="With --once: seconds to wait for the pipeline.")
def poll(once: bool, interval_s: float, timeout_s: float) -> None:
    """Poll the mailbox named by PAYABLES_IMAP_*: each new message is stored with its attachments,
    then flagged seen and moved to PAYABLES_IMAP_PROCESSED_FOLDER."""
    with running_pipeline() as (rt, pipeline):
        mailbox = mailbox_from(rt.settings)
        poller = MailPoller(mailbox, pipeline.submit, rt.sessions)
        if once:
            with poller:
                deliveries = poller.poll()
            items = [(_label(mailbox, d), d.result) for d in deliveries]
            settle(rt, pipeline, items, timeout_s)
            report(rt, items)
            click.echo(f"{len(deliveries)} message(s) taken from {mailbox.address}", err=True)
            return
        stop = stop_on_signals()
        done = mailbox.processed_folder or "nowhere, flagged only"
        click.echo(f"polling {mailbox.address} (processed mail goes to {done})", err=True)
        poller.run(stop, interval_s=interval_s, on_delivery=lambda d: report(rt, [(_label(mailbox, d), d.result)]))


def _label(mailbox: Mailbox, delivery: Delivery) -> str:
    return f"{mailbox.folder} UID {delivery.uid}"


@command.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=2525, show_default=True)
@click.option("--accept", multiple=True, help="Recipient to accept: an address or @domain (repeatable); "
              "by default every recipient.")
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Certificate (PEM) for STARTTLS.")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option("--require-tls", is_flag=True, help="Refuse mail from senders that do not use STARTTLS.")
def serve(host: str, port: int, accept: tuple[str, ...], tls_cert: Path | None, tls_key: Path | None,
          require_tls: bool) -> None:
    """Receive mail over SMTP (the organisation's mail server relays the AP address here); each message
    is stored before the sender is told 250."""
    from ingest.mail.smtp import make_controller

    context = None
    if tls_cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls_cert, tls_key)
    elif require_tls:
        raise click.UsageError("--require-tls needs --tls-cert (and --tls-key)")
    with running_pipeline() as (rt, pipeline):
        controller = make_controller(pipeline.submit, host=host, port=port,
                                     max_bytes=rt.settings.max_upload_bytes, accept=accept,
                                     tls_context=context, require_tls=require_tls)
        stop = stop_on_signals()
        controller.start()
        _announce(rt, host, port, accept)
        try:
            stop.wait()
        finally:
            controller.stop()


def _announce(rt: Runtime, host: str, port: int, accept: tuple[str, ...]) -> None:
    who = ", ".join(accept) if accept else "any recipient"
    click.echo(f"receiving mail for {who} on {host}:{port}; messages go to {rt.store.url}", err=True)
