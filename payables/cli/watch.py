"""``payables watch DIR [--once]`` and ``payables watch --bucket [URL]``: scan intake."""

from __future__ import annotations

from pathlib import Path

import click

from ingest.watch.bucket import BucketWatcher, Dropped, open_client
from ingest.watch.folder import FolderWatcher, Taken
from models.errors import ConfigurationError
from payables.cli.sources import Item, report, running_pipeline, settle, stop_on_signals
from payables.pipeline import Pipeline
from payables.runtime import Runtime


@click.command()
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--bucket", "bucket_url", is_flag=False, flag_value="", default=None,
              help="Watch a bucket prefix instead of a folder: s3://HOST:PORT/BUCKET (alone: the bucket of "
                   "PAYABLES_STORAGE_URL).")
@click.option("--prefix", default="incoming/", show_default=True, help="With --bucket: where files are dropped.")
@click.option("--archive-prefix", default="archive/", show_default=True, help="With --bucket: where they go after.")
@click.option("--archive", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for files once stored (default DIR/.archive).")
@click.option("--settle", "settle_s", type=float, default=5.0, show_default=True,
              help="Seconds a file must stay unchanged before it is taken.")
@click.option("--interval", "interval_s", type=float, default=None,
              help="Seconds between looks (default 2 for a folder, 10 for a bucket).")
@click.option("--once", is_flag=True, help="Take what is there now, wait for the pipeline, print one line "
              "per document, and exit.")
@click.option("--timeout", "timeout_s", type=float, default=3600.0, show_default=True,
              help="With --once: seconds to wait for the pipeline.")
def command(folder: Path | None, bucket_url: str | None, prefix: str, archive_prefix: str, archive: Path | None,
            settle_s: float, interval_s: float | None, once: bool, timeout_s: float) -> None:
    """Consume a scanner drop folder (or a bucket prefix): each file is taken once complete, stored,
    then archived; nothing is taken twice, also after a restart."""
    if (folder is None) == (bucket_url is None):
        raise click.UsageError("give a folder to watch, or --bucket (not both)")
    with running_pipeline() as (rt, pipeline):
        if folder is not None:
            _watch_folder(rt, pipeline, FolderWatcher(folder, pipeline.submit, rt.sessions, archive=archive,
                                                      settle_s=settle_s), once, interval_s or 2.0, timeout_s)
        else:
            client, bucket = open_client(bucket_url or _storage_bucket(rt), region=rt.settings.s3_region,
                                         access_key=rt.settings.secret("s3_access_key"),
                                         secret_key=rt.settings.secret("s3_secret_key"))
            watcher = BucketWatcher(client, bucket, pipeline.submit, rt.sessions, prefix=prefix,
                                    archive_prefix=archive_prefix)
            _watch_bucket(rt, pipeline, watcher, once, interval_s or 10.0, timeout_s)


def _watch_folder(rt: Runtime, pipeline: Pipeline, watcher: FolderWatcher, once: bool, interval_s: float,
                  timeout_s: float) -> None:
    def item(t: Taken) -> Item:
        return str(t.path), t.result

    if once:
        taken = watcher.take_all(timeout_s=max(30.0, watcher.settle_s * 4), interval_s=min(interval_s, 1.0))
        _finish(rt, pipeline, [item(t) for t in taken], timeout_s)
        left = watcher.candidates()
        if left:
            click.echo(f"{len(left)} file(s) still incomplete, left for the next run: "
                       + ", ".join(p.name for p in left[:10]), err=True)
        return
    click.echo(f"watching {watcher.root} (archive: {watcher.archive})", err=True)
    watcher.run(stop_on_signals(), interval_s=interval_s, on_taken=lambda t: report(rt, [item(t)]))


def _watch_bucket(rt: Runtime, pipeline: Pipeline, watcher: BucketWatcher, once: bool, interval_s: float,
                  timeout_s: float) -> None:
    def item(d: Dropped) -> Item:
        return f"s3://{watcher.bucket}/{d.key}", d.result

    if once:
        _finish(rt, pipeline, [item(d) for d in watcher.poll()], timeout_s)
        return
    click.echo(f"watching s3://{watcher.bucket}/{watcher.prefix} (archive: {watcher.archive_prefix})", err=True)
    watcher.run(stop_on_signals(), interval_s=interval_s, on_dropped=lambda d: report(rt, [item(d)]))


def _finish(rt: Runtime, pipeline: Pipeline, items: list[Item], timeout_s: float) -> None:
    settle(rt, pipeline, items, timeout_s)
    report(rt, items)
    click.echo(f"{len(items)} file(s) taken", err=True)


def _storage_bucket(rt: Runtime) -> str:
    url = rt.settings.store_url
    if not url.startswith(("s3://", "s3+http://")):
        raise ConfigurationError("--bucket without a URL watches the storage bucket, but PAYABLES_STORAGE_URL "
                                 "is not an S3 store; give --bucket s3://HOST:PORT/BUCKET")
    return url
