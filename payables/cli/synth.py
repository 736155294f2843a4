"""``payables synth [options] OUT/``: generate a synthetic AP world into a folder."""

from __future__ import annotations

import shutil
import time
from collections import Counter
from datetime import date
from pathlib import Path

import click

from models.errors import ConfigurationError
from synth.config import DEFAULT_TODAY, RENDERINGS, SynthConfig, parse_mix

_OWN = ("documents", "truth", "expected", "snapshot.json", "manifest.json")


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--vendors", default=200, show_default=True, help="Vendors in the ERP.")
@click.option("--invoices", default=1000, show_default=True, help="Invoices to generate.")
@click.option("--seed", default=7, show_default=True, help="The same seed gives byte-identical output.")
@click.option("--mix", default=None, help="Shares by group or scenario, e.g. clean=0.7 or "
              "clean=0.6,noisy=0.1,price_variance=0.05 (default clean=0.6,noisy=0.1,exception=0.3).")
@click.option("--each", type=int, default=None, help="Instead of --invoices/--mix: this many of every scenario.")
@click.option("--renderings", default=",".join(RENDERINGS), show_default=True,
              help="Comma-separated subset of pdf,scan,einvoice,email.")
@click.option("--date", "today", default=DEFAULT_TODAY.isoformat(), show_default=True,
              help="The world's today (invoices are dated in the weeks before it).")
@click.option("--jobs", type=int, default=None, help="Worker processes for rendering (default: all CPUs).")
@click.option("--force", is_flag=True, help="Replace a previous world in OUT.")
def command(out: Path, vendors: int, invoices: int, seed: int, mix: str | None, each: int | None, renderings: str,
            today: str, jobs: int | None, force: bool) -> None:
    """Generate a synthetic AP world into OUT: snapshot.json, documents/, truth/, expected/, manifest.json."""
    from synth.generate import generate
    from synth.writer import write_world

    try:
        day = date.fromisoformat(today)
    except ValueError as exc:
        raise ConfigurationError(f"--date {today!r} is not a date (YYYY-MM-DD)") from exc
    chosen = tuple(r.strip() for r in renderings.split(",") if r.strip())
    config = SynthConfig(vendors=vendors, invoices=invoices, seed=seed, mix=parse_mix(mix), each=each,
                         renderings=chosen, today=day, **({"jobs": jobs} if jobs else {}))
    _prepare(out, force)
    started = time.perf_counter()
    world = generate(config)
    built = time.perf_counter()
    manifest = write_world(world, out, config.jobs)
    done = time.perf_counter()
    scenarios = Counter(inv.scenario.group for inv in world.invoices)
    held = sum(1 for inv in world.invoices if inv.expected.holds)
    size = sum(f["bytes"] for f in manifest["files"])
    click.echo(f"{len(world.invoices)} invoices ({', '.join(f'{n} {g}' for g, n in sorted(scenarios.items()))}; "
               f"{held} must be held) from {len(world.world.partners)} ERP vendors")
    click.echo(f"{len(manifest['files'])} files, {size / 1e6:.1f} MB in {out}")
    click.echo(f"world {built - started:.1f} s, rendering {done - built:.1f} s on {config.jobs} worker(s)")


def _prepare(out: Path, force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not force and any((out / name).exists() for name in _OWN):
            raise ConfigurationError(f"{out} already holds a generated world; pass --force to replace it")
        for name in _OWN:
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    out.mkdir(parents=True, exist_ok=True)
