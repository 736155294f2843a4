"""``payables train CORPUS_DIR [--synth DIR] [--seed N]``: learned extraction models, reproducibly."""

from __future__ import annotations

import json
from pathlib import Path

import click

from extraction.learned.ensemble import ARTEFACTS
from extraction.learned.layout_model import TaggerSettings
from extraction.learned.ner import NerSettings
from extraction.learned.training import TrainSettings, calibrate_only, train_all


@click.command()
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--synth", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A generated synthetic world (documents beside <stem>.truth.json) to train on as well.")
@click.option("--synth-limit", type=int, default=0, show_default=True,
              help="Use only the first N synthetic documents (0: all), to keep training to minutes.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=ARTEFACTS, show_default=True,
              help="Where the models, the ensemble policy and the calibration are written.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--epochs", type=int, default=TaggerSettings.epochs, show_default=True,
              help="Epochs of the layout tagger (the spaCy NER takes about half as many).")
@click.option("--folds", type=int, default=2, show_default=True,
              help="Folds for the held-out answers that decide the ensemble and fit the calibration.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the pages read (OCR above all) here and reuse them.")
@click.option("--synth-kinds", default="digital_pdf,image_scan", show_default=True,
              help="Renderings of the synthetic world the calibration is fitted on (comma-separated kinds).")
@click.option("--calibration-only", is_flag=True,
              help="Refit only the confidence calibration; keep the trained models and the ensemble policy.")
def command(corpus_dir: Path, synth: Path | None, synth_limit: int, out: Path, seed: int, epochs: int,
            folds: int, cache: Path | None, synth_kinds: str, calibration_only: bool) -> None:
    """Train the spaCy NER and the layout tagger; choose the ensemble; calibrate confidence."""
    settings = TrainSettings(corpus=corpus_dir, synth=synth, synth_limit=synth_limit, out=out, cache=cache,
                             seed=seed, folds=folds,
                             synth_kinds=tuple(k.strip() for k in synth_kinds.split(",") if k.strip()) or None,
                             tagger=TaggerSettings(epochs=epochs, seed=seed),
                             ner=NerSettings(epochs=max(4, epochs // 2), seed=seed))
    run = calibrate_only if calibration_only else train_all
    manifest = run(settings, log=lambda msg: click.echo(msg, err=True))
    click.echo(json.dumps(manifest, indent=1))
