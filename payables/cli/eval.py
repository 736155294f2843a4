"""``payables eval CORPUS_DIR [--variants] [--json OUT]``: extraction scored against truth files."""

from __future__ import annotations

import json
from pathlib import Path

import click

from extraction.api import ReadLimits
from extraction.evaluation.corpus import load_corpus
from extraction.evaluation.report import format_report, score
from extraction.evaluation.runner import SYSTEMS, PageCache, run_corpus


@click.command()
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--variants", is_flag=True,
              help="Also score each PDF with its embedded XML removed, and each hybrid PDF as a degraded scan.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every score, the calibration table and each failing document here.")
@click.option("--systems", default=",".join(SYSTEMS), show_default=True,
              help="Comma-separated: product (what the pipeline runs), rules, learned, ensemble, invoice2data.")
@click.option("--split", type=click.Choice(["all", "dev", "test"]), default="all", show_default=True,
              help="The corpus half to score (dev is what training and calibration may see).")
@click.option("--folder", "folders", multiple=True, help="Only these corpus folders (repeatable).")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the pages read (OCR above all) here and reuse them on the next run.")
@click.option("--failures", is_flag=True, help="List each document with a wrong field.")
def command(corpus_dir: Path, variants: bool, json_out: Path | None, systems: str, split: str,
            folders: tuple[str, ...], cache: Path | None, failures: bool) -> None:
    """Score extraction per field, per folder and per kind by the rules of the corpus README."""
    chosen = [s.strip() for s in systems.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SYSTEMS))
    if unknown:
        raise click.BadParameter(f"unknown systems {', '.join(unknown)}; choose from {', '.join(SYSTEMS)}",
                                 param_hint="--systems")
    docs = load_corpus(corpus_dir, split=split)
    if folders:
        docs = [d for d in docs if d.folder in folders]
    results = run_corpus(docs, systems=chosen, with_variants=variants, cache=PageCache(cache, ReadLimits()),
                         progress=lambda msg: click.echo(msg, err=True))
    report = score(results)
    click.echo(f"## Extraction on {corpus_dir} ({len(docs)} documents, split {split}"
               f"{', with variants' if variants else ''})\n")
    click.echo(format_report(report, systems=chosen))
    if failures:
        for f in report.failures:
            click.echo(json.dumps(f, ensure_ascii=False, default=str))
    if json_out is not None:
        json_out.write_text(json.dumps(report.to_json(), indent=1, ensure_ascii=False, default=str) + "\n",
                            encoding="utf-8")
