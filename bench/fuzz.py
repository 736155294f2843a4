"""The long fuzz run: 100,000+ generated inputs over every parser the outside world reaches.

Runs the targets of ``tests/fuzz/targets.py`` (the same ones CI runs with a few thousand inputs), each
with its share of the inputs, in worker processes. Unlike a test, a crash does not stop the run: each
distinct crash (exception type and the innermost frame it came from) is counted, and its smallest input
is written under ``--out`` so it can be replayed. A crash that is already reported to its owner (listed in
``targets.KNOWN``) is counted apart from new ones.

    .venv/bin/python bench/fuzz.py [--inputs 100000] [--targets pdf_pages,mime] [--engine hypothesis|atheris]
        [--jobs 2] [--out var/fuzz]

``--engine atheris`` (if installed) runs libFuzzer's coverage-guided mutation from the same seeds
instead of hypothesis' structured generation.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def signature(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    inner = frames[-1] if frames else None
    ours = next((f for f in reversed(frames) if "/site-packages/" not in f.filename and "/fuzz/" not in f.filename),
                None)
    where = f"{Path(inner.filename).name}:{inner.lineno}" if inner else "?"
    via = f" via {Path(ours.filename).name}:{ours.lineno}" if ours and ours is not inner else ""
    return f"{type(exc).__name__} at {where}{via}"


def run_target(name: str, inputs: int, engine: str, out: str) -> dict[str, Any]:
    import logging
    import warnings

    from tests.fuzz.targets import KNOWN_HITS, TARGETS, known

    # Parsers log and warn about every broken input they recover from; millions of lines say nothing.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    target = TARGETS[name]
    crashes: Counter[str] = Counter()
    known_hits: Counter[str] = Counter()
    examples: dict[str, Any] = {}
    count = 0

    def one(value: Any) -> None:
        nonlocal count
        count += 1
        try:
            target.fn(value)
        except Exception as exc:  # noqa: BLE001  (every escape is a finding to count, not to stop on)
            sig = signature(exc)
            bucket = known_hits if known(exc) else crashes
            bucket[sig] += 1
            if sig not in examples or len(repr(value)) < len(repr(examples[sig])):
                examples[sig] = value

    started = time.monotonic()

    def finish() -> dict[str, Any]:
        known_hits.update(KNOWN_HITS)  # known bugs absorbed inside the target (see targets._expect_own_errors)
        folder = Path(out) / name
        folder.mkdir(parents=True, exist_ok=True)
        for i, (sig, value) in enumerate(sorted(examples.items())):
            data = value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")
            (folder / f"crash-{i}.bin").write_bytes(data)
            (folder / f"crash-{i}.txt").write_text(sig + "\n", encoding="utf-8")
        result = {"target": name, "inputs": count, "seconds": round(time.monotonic() - started, 1),
                  "crashes": dict(crashes), "known": dict(known_hits)}
        (folder / "result.json").write_text(json.dumps(result), encoding="utf-8")
        return result

    if engine == "atheris":
        _atheris(target, one, inputs, lambda: count, finish)
    else:
        _hypothesis(target, one, inputs)
    return finish()


def _hypothesis(target: Any, one: Any, inputs: int) -> None:
    from hypothesis import HealthCheck, Phase, given, settings

    from tests.fuzz.strategies import files, texts

    strategy = files(target.seeds()) if target.kind == "bytes" else texts(target.seeds())

    @settings(max_examples=inputs, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def fuzz(value: Any) -> None:
        one(value)

    fuzz()


def _atheris(target: Any, one: Any, inputs: int, done: Any, finish: Any) -> None:
    import tempfile

    import atheris

    corpus = Path(tempfile.mkdtemp(prefix=f"fuzz-{target.name}-"))
    for i, seed in enumerate(target.seeds()):
        (corpus / f"seed-{i}").write_bytes(seed if isinstance(seed, bytes) else seed.encode())

    def test_one(data: bytes) -> None:
        one(data if target.kind == "bytes" else data.decode("utf-8", "replace"))
        if done() >= inputs:
            # libFuzzer ends the process with C's exit(), past Python's clean-up: write the result first.
            finish()
            os._exit(0)

    # Import the parsers (the targets import them on first use), then add coverage probes to every
    # function loaded, so that libFuzzer keeps the inputs that reach new code.
    for seed in target.seeds()[:1]:
        one(seed)
    atheris.instrument_all()
    atheris.Setup([sys.argv[0], "-max_len=262144", "-rss_limit_mb=4096", str(corpus)], test_one)
    atheris.Fuzz()


def _child(args: tuple[str, int, str, str]) -> None:
    run_target(*args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=100_000, help="Inputs in total, shared by weight.")
    parser.add_argument("--targets", default="", help="Comma-separated target names (default: all).")
    parser.add_argument("--engine", choices=("hypothesis", "atheris"), default="hypothesis")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", default="var/fuzz")
    args = parser.parse_args()

    from tests.fuzz.targets import TARGETS

    names = [n for n in args.targets.split(",") if n] or list(TARGETS)
    weights = {n: TARGETS[n].weight for n in names}
    total = sum(weights.values())
    shares = {n: max(1, round(args.inputs * w / total)) for n, w in weights.items()}
    started = time.monotonic()
    results: list[dict[str, Any]] = []
    ctx = mp.get_context("spawn")
    pending = sorted(names, key=lambda n: -shares[n])
    running: list[tuple[Any, Any]] = []
    while pending or running:
        while pending and len(running) < args.jobs:
            name = pending.pop(0)
            (Path(args.out) / name / "result.json").unlink(missing_ok=True)
            proc = ctx.Process(target=_child, args=((name, shares[name], args.engine, args.out),))
            proc.start()
            running.append((proc, name))
        for proc, name in list(running):
            if proc.is_alive():
                continue
            proc.join()
            path = Path(args.out) / name / "result.json"
            if path.exists():
                result = json.loads(path.read_text(encoding="utf-8"))
            else:  # the interpreter itself died (a crash in C code): that is a finding too
                result = {"target": name, "inputs": 0, "seconds": 0,
                          "crashes": {f"process died with exit code {proc.exitcode}": 1}, "known": {}}
            results.append(result)
            running.remove((proc, name))
            print(json.dumps(result), flush=True)
        time.sleep(0.2)
    inputs = sum(r["inputs"] for r in results)
    new = sum(len(r["crashes"]) for r in results)
    known = sum(len(r["known"]) for r in results)
    print(f"\n{inputs:,} inputs over {len(results)} targets in {time.monotonic() - started:.0f} s "
          f"({args.engine}): {new} distinct new crash(es), {known} known (reported) crash(es)")
    for r in sorted(results, key=lambda r: r["target"]):
        new_hits, known_hits = sum(r["crashes"].values()), sum(r["known"].values())
        print(f"  {r['target']:<20} {r['inputs']:>8,} inputs {r['seconds']:>7.1f} s  new {new_hits:>5} "
              f"known {known_hits:>5}")
        for sig, n in {**r["crashes"], **r["known"]}.items():
            print(f"      {n:>6}× {sig}")


if __name__ == "__main__":
    main()
