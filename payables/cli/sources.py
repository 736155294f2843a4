"""What the intake commands (``mail``, ``watch``) share: the pipeline they feed, waiting for it with
``--once``, stopping on a signal, and the one line per document they print."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click

from ingest.intake import IntakeResult
from payables.outcome import outcomes, wait_until_settled
from payables.pipeline import Pipeline
from payables.runtime import Runtime

# (label of the item at its source, intake's result or None when an earlier run had stored it)
Item = tuple[str, IntakeResult | None]


@contextmanager
def running_pipeline() -> Iterator[tuple[Runtime, Pipeline]]:
    """The pipeline, with its worker in this process when the broker is the embedded one."""
    rt = Runtime.from_settings()
    pipeline = Pipeline.build(rt)
    if rt.settings.embedded_broker:
        pipeline.start_worker()
    try:
        yield rt, pipeline
    finally:
        pipeline.stop()
        rt.close()


def settle(rt: Runtime, pipeline: Pipeline, items: Sequence[Item], timeout_s: float) -> None:
    """Wait until what these items started has gone through the pipeline (``--once``)."""
    to_watch = [doc for _, result in items if result is not None for doc in result.to_process]
    if not to_watch:
        return
    click.echo(f"waiting for the pipeline on {len(to_watch)} document(s)…", err=True)
    if rt.settings.embedded_broker:
        pipeline.drain(timeout_s)
    elif not wait_until_settled(rt.sessions, to_watch, timeout_s=timeout_s):
        click.echo("warning: some documents are still in flight; their state below is not final", err=True)


def report(rt: Runtime, items: Sequence[Item]) -> None:
    """One tab-separated line per document: source label, intake outcome, document, state, detail."""
    ids = {r.document_id for _, res in items if res is not None for r in res.flatten() if r.document_id}
    by_id = {o.document_id: o for o in outcomes(rt.sessions, ids)}
    for label, res in items:
        if res is None:
            click.echo(f"{label}\talready stored\t-\t-\ttaken by an earlier run; now marked done at the source")
            continue
        for r in res.flatten():
            o = by_id.get(r.document_id) if r.document_id is not None else None
            name = label if r is res else f"{label} › {r.filename}"
            doc = f"#{r.document_id}" if r.document_id is not None else "-"
            state = o.state if o else r.outcome
            detail = ",".join(o.holds) if o and o.holds else (o.detail if o else r.reason or "")
            click.echo(f"{name}\t{r.outcome}\t{doc}\t{state}\t{detail}")


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT, so a service finishes the item in hand and exits cleanly."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        click.echo(f"stopping ({signal.Signals(signum).name}): finishing the item in hand", err=True)
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, request_stop)
    return stop
