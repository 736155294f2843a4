"""Intake throughput: documents per second into the folder store and into S3 (moto's server), with one
intake worker process and with two, each against PostgreSQL, and the bare ``store.put`` of the same bytes
as the baseline measured in the same run (the machine is shared and noisy, so ratios are what count).

    .venv/bin/python bench/intake.py [--docs 400]
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.pdfgen import canvas

from ingest.intake import Envelope, Intake, IntakeLimits
from ingest.storage import open_store
from models.db import make_engine, make_session_factory
from models.migrate import upgrade
from tests.support.servers import postgres_server, s3_server


def make_pdfs(n: int) -> list[bytes]:
    out = []
    for i in range(n):
        buf = io.BytesIO()
        c = canvas.Canvas(buf, invariant=1)
        c.drawString(72, 720, f"INVOICE INV-{i:06d}")
        for row in range(30):
            c.drawString(72, 680 - row * 18, f"Line {row} item {i * 31 + row} qty {row + 1} price {row * 3.5:.2f}")
        c.save()
        out.append(buf.getvalue())
    return out


def _worker(args: tuple[str, str, dict[str, str], list[bytes], float]) -> tuple[int, float]:
    db_url, store_url, creds, docs, start_at = args
    store = open_store(store_url, **creds)  # type: ignore[arg-type]
    intake = Intake(make_session_factory(make_engine(db_url)), store, IntakeLimits())
    # Start together, after the interpreter and imports are up: process start-up is not intake.
    time.sleep(max(0.0, start_at - time.time()))
    started = time.perf_counter()
    for i, data in enumerate(docs):
        intake.register(data, Envelope(source="bench", filename=f"{i}.pdf"))
    return len(docs), time.perf_counter() - started


def run_intake(db_url: str, store_url: str, creds: dict[str, str], docs: list[bytes], workers: int) -> float:
    chunks = [docs[i::workers] for i in range(workers)]
    start_at = time.time() + 8.0
    with mp.get_context("spawn").Pool(workers) as pool:
        results = pool.map(_worker, [(db_url, store_url, creds, c, start_at) for c in chunks])
    return sum(n for n, _ in results) / max(elapsed for _, elapsed in results)


def run_bare(store_url: str, creds: dict[str, str], docs: list[bytes]) -> float:
    store = open_store(store_url, **creds)  # type: ignore[arg-type]
    started = time.perf_counter()
    for data in docs:
        store.put(data, content_type="application/pdf")
    return len(docs) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=400)
    n = parser.parse_args().docs
    print(f"generating {n} distinct PDFs per run…", file=sys.stderr)
    rows = []
    with postgres_server() as pg, s3_server() as s3:
        tmp = Path(tempfile.mkdtemp(prefix="bench-intake-"))
        run = 0
        for store_name in ("folder", "s3"):
            for workers in (1, 2):
                run += 1
                docs = make_pdfs(n)  # fresh bytes per run, so nothing is a duplicate
                docs = [d + f"\n%run{run}\n".encode() for d in docs]
                db_url = pg.create_database(f"bench_{store_name}_{workers}")
                upgrade(db_url)
                if store_name == "folder":
                    store_url, creds = f"file://{tmp / f'objects-{workers}'}", {}
                    bare_url = f"file://{tmp / f'bare-{workers}'}"
                else:
                    store_url = s3.url(f"intake-{workers}")
                    bare_url = s3.url(f"bare-{workers}")
                    creds = {"access_key": s3.access_key, "secret_key": s3.secret_key}
                bare = run_bare(bare_url, creds, docs)
                rate = run_intake(db_url, store_url, creds, docs, workers)
                rows.append((store_name, workers, rate, bare, rate / bare))
    print(f"{'store':8} {'workers':>7} {'intake docs/s':>14} {'bare put docs/s':>16} {'intake/bare':>12}")
    for store_name, workers, rate, bare, ratio in rows:
        print(f"{store_name:8} {workers:>7} {rate:>14.1f} {bare:>16.1f} {ratio:>12.2f}")
    for store_name in ("folder", "s3"):
        one = next(r[2] for r in rows if r[0] == store_name and r[1] == 1)
        two = next(r[2] for r in rows if r[0] == store_name and r[1] == 2)
        print(f"{store_name}: two workers / one worker = {two / one:.2f}")
    print(f"(cpus: {os.cpu_count()}, docs per run: {n})")


if __name__ == "__main__":
    main()
