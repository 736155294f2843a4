"""``payables serve``: the review UI, with the pipeline's hooks (and, on the embedded broker, its worker)."""

from __future__ import annotations

import ipaddress
import logging

import click

log = logging.getLogger("payables.serve")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option("--secure-cookies/--insecure-cookies", default=None,
              help="Mark cookies Secure (HTTPS only). Default: on, except plain HTTP on a loopback address.")
@click.option("--forwarded-allow-ips", default="127.0.0.1", show_default=True,
              help="Proxies trusted for X-Forwarded-For/-Proto (the TLS terminator in front of the app).")
def command(host: str, port: int, secure_cookies: bool | None, forwarded_allow_ips: str) -> None:
    """Serve the review UI on HOST:PORT. With the embedded broker the pipeline's worker runs in this
    process too, so uploads, re-matching and posting happen without a separate `payables worker`."""
    import uvicorn

    from payables.pipeline import Pipeline
    from payables.runtime import Runtime
    from review_ui import AppContext, create_app

    rt = Runtime.from_settings()
    pipeline = Pipeline.build(rt)
    if rt.settings.embedded_broker:
        pipeline.start_worker()
    secure = secure_cookies if secure_cookies is not None else not _loopback(host)
    ctx = AppContext(sessions=rt.sessions, store=rt.store, secret=rt.settings.application_secret(),
                     submit=pipeline.submit, enqueue=pipeline.enqueue,
                     retry=lambda document_id, actor: pipeline.retry(document_id, actor=actor),
                     secure_cookies=secure, odoo_url=rt.settings.odoo_url,
                     max_upload_bytes=rt.settings.max_upload_bytes)
    app = create_app(ctx)
    if not secure:
        log.warning("cookies are not marked Secure: serve plain HTTP on loopback only, HTTPS everywhere else")
    click.echo(f"review UI on http{'s' if secure else ''}://{host}:{port}/ (behind TLS when not loopback)",
               err=True)
    try:
        uvicorn.run(app, host=host, port=port, proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips,
                    server_header=False, log_level="warning")
    finally:
        pipeline.stop()
        rt.close()
