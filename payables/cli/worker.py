"""``payables worker``: run pipeline stages from the broker until told to stop."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading

import click

from payables.pipeline import STAGES, Pipeline
from payables.runtime import Runtime


@click.command()
@click.option("--threads", type=int, default=None, help="Worker threads (default PAYABLES_WORKER_THREADS).")
@click.option("--processes", type=int, default=1, show_default=True, help="Worker processes on this machine.")
@click.option("--queues", default=",".join(STAGES), show_default=True, help="Stages (queues) to work on.")
def command(threads: int | None, processes: int, queues: str) -> None:
    """Run stages from the configured broker (Redis or RabbitMQ); scale out by running more of these,
    on this machine (--processes) or on others pointed at the same broker, database and object store."""
    if processes > 1:
        _supervise(processes, threads, queues)
        return
    rt = Runtime.from_settings()
    if rt.settings.embedded_broker:
        raise click.ClickException("the worker needs PAYABLES_BROKER_URL (redis:// or amqp://); with the "
                                   "embedded broker, `payables process` runs the stages in-process")
    pipeline = Pipeline.build(rt)
    names = {q.strip() for q in queues.split(",") if q.strip()}
    unknown = names - set(STAGES)
    if unknown:
        raise click.ClickException(f"unknown queues: {', '.join(sorted(unknown))}")
    import dramatiq

    stop = threading.Event()
    worker = dramatiq.Worker(pipeline.broker, queues=names, worker_threads=threads or rt.settings.worker_threads)
    worker.start()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    click.echo(f"worker ready on {', '.join(sorted(names))}", err=True)
    while not stop.wait(rt.settings.sweep_interval_s):
        try:
            pipeline.sweep(rt.settings.sweep_stale_after_s)
        except Exception:  # a sweep that fails is tried again next interval
            logging.getLogger("payables.worker").exception("sweep failed")
    click.echo("stopping: finishing messages in hand", err=True)
    worker.stop(timeout=rt.settings.stage_time_limit_s * 1000)
    rt.close()


def _supervise(processes: int, threads: int | None, queues: str) -> None:
    args = [sys.executable, "-m", "payables", "worker", "--processes", "1", "--queues", queues]
    if threads:
        args += ["--threads", str(threads)]
    children = [subprocess.Popen(args) for _ in range(processes)]

    def forward(signum: int, _frame: object) -> None:
        for child in children:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    codes = [child.wait() for child in children]
    if any(codes):
        raise SystemExit(max(codes))
