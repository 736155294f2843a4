"""``payables process PATH...``: ingest files and folders, run the pipeline, print what became of each."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from ingest.intake import Envelope, IntakeResult
from payables.outcome import outcomes, state_counts, wait_until_settled
from payables.pipeline import Pipeline
from payables.runtime import Runtime


def iter_files(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        else:
            files.append(path)
    return files


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--timeout", "timeout_s", default=3600.0, show_default=True, help="Seconds to wait for the pipeline.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document instead of a table.")
def command(paths: tuple[Path, ...], timeout_s: float, as_json: bool) -> None:
    """Ingest PATHS (files or folders), run every stage, and print one line per document."""
    rt = Runtime.from_settings()
    pipeline = Pipeline.build(rt)
    files = iter_files(paths)
    if rt.settings.embedded_broker:
        pipeline.start_worker()
    results: list[tuple[Path, IntakeResult]] = []
    try:
        with click.progressbar(files, label=f"ingesting {len(files)} files", file=sys.stderr,
                               show_pos=True) as bar:
            for path in bar:
                result = pipeline.submit(path.read_bytes(), Envelope(
                    source="cli", filename=path.name, source_ref=f"file:{path.resolve()}"))
                results.append((path, result))
        to_watch = [doc for _, r in results for doc in r.to_process]
        click.echo(f"waiting for the pipeline on {len(to_watch)} documents…", err=True)
        if rt.settings.embedded_broker:
            pipeline.drain(timeout_s)
        elif not wait_until_settled(rt.sessions, to_watch, timeout_s=timeout_s):
            click.echo("warning: some documents are still in flight; run again later to see them", err=True)
    finally:
        pipeline.stop()
    _report(results, rt, as_json)


def _printable(line: str) -> str:
    """A file name can carry terminal escape sequences (ESC[2J clears the screen): shown escaped, never
    sent to the operator's terminal as they are. Tabs separate the columns and stay."""
    return "".join(ch if ch == "\t" or (ord(ch) >= 32 and ord(ch) != 127) else f"\\x{ord(ch):02x}"
                   for ch in line)


def _report(results: list[tuple[Path, IntakeResult]], rt: Runtime, as_json: bool) -> None:
    import json

    all_docs = {r.document_id for _, res in results for r in res.flatten() if r.document_id is not None}
    by_id = {o.document_id: o for o in outcomes(rt.sessions, all_docs)}
    intake_counts: Counter[str] = Counter(res.outcome for _, res in results)
    for path, res in results:
        for r in res.flatten():
            o = by_id.get(r.document_id) if r.document_id is not None else None
            name = str(path) if r is res else f"{path} › {r.filename}"
            if as_json:
                click.echo(json.dumps({"path": name, "intake": r.outcome, "document_id": r.document_id,
                                       "state": o.state if o else r.outcome, "holds": list(o.holds) if o else [],
                                       "detail": o.detail if o else r.reason}))
            else:
                state = o.state if o else r.outcome
                extra = ",".join(o.holds) if o and o.holds else (o.detail if o else r.reason or "")
                doc = f"#{r.document_id}" if r.document_id is not None else "-"
                click.echo(_printable(f"{name}\t{r.outcome}\t{doc}\t{state}\t{extra}"))
    files = len(results)
    summary = (f"{files} files: {intake_counts['stored']} stored, {intake_counts['duplicate']} duplicates, "
               f"{intake_counts['refused']} refused")
    counts = state_counts(o for o in by_id.values())
    # With --json, stdout carries JSON lines only; the summary goes to stderr.
    click.echo(summary + " | documents by state: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
               err=as_json)
    if sum(intake_counts.values()) != files:
        raise click.ClickException("intake did not account for every file")
