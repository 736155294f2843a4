"""Load: N documents (70% digital PDF, 20% scans, 10% e-invoices) through the production configuration
(PostgreSQL, Redis broker, S3 server, sandbox Odoo, ``payables worker`` processes), first with 2 worker
processes, then with 1, reporting per run:

- throughput per stage (documents a second through read, extract, match, post, from the audit trail)
  and the stage times the workers log;
- p50/p95 time from arrival (intake's commit) to queued-or-posted (the document reaching review, a
  refusal, or Odoo);
- peak memory (RSS, tesseract children included) per worker process;
- the invariants of ``tests/faults/harness.py`` at the end (nothing lost, duplicated or stuck, one bill
  per posted document);
- the review UI's queue page p95 while the load runs (``payables serve``, signed in as a clerk made with
  ``payables user add``);

and the scaling ratio (2-worker throughput / 1-worker throughput, measured in the same run).

Documents: ``payables synth`` renders ``--distinct`` invoices once (every rendering takes ~0.5 s of CPU,
so 10,000 distinct ones would take over an hour here); the N documents are drawn from those renderings
in the 70/20/10 mix, each made byte-unique by a trailing comment or trailer bytes the formats ignore
(so intake stores each as its own document and every stage runs on it). Copies of the same invoice are
then caught by the duplicate check and held, which the report counts.

    .venv/bin/python bench/load.py [--docs 10000] [--distinct 200] [--workers 2,1] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil
from sqlalchemy import select

from models.audit import AuditEntry
from tests.faults.harness import Scenario, Servers, TcpGate
from tests.support.servers import free_port, postgres_server, redis_server, s3_server

MIX = (("pdf", 0.7), ("scan", 0.2), ("einvoice", 0.1))
STAGE_OF = {"text_ready": "read", "extracted": "extract", "split": "extract", "refused": "read/extract",
            "matched": "match", "in_review": "match", "posted": "post"}
SETTLED = {"in_review", "posted", "refused", "rejected", "failed", "posting_failed", "split"}
STAGE_LOG = re.compile(r"stage (\w+) of document (\d+) done in (\d+) ms")


def world(out: Path, distinct: int, seed: int) -> Path:
    if not (out / "manifest.json").exists():
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "payables", "synth", f"--vendors={max(30, distinct // 4)}",
                        f"--invoices={distinct}", f"--seed={seed}", "--renderings=pdf,scan,einvoice", "--jobs=2",
                        "--force", str(out)], check=True)
        print(f"synth: {distinct} invoices rendered in {time.monotonic() - started:.0f} s", flush=True)
    return out


def pools(out: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = defaultdict(list)
    for path in sorted((out / "expected").glob("*.json")):
        exp = json.loads(path.read_text(encoding="utf-8"))
        r = exp.get("renderings") or {}
        if "pdf" in r:
            found["pdf"].append(out / r["pdf"])
        if "scan" in r:
            found["scan"].append(out / r["scan"])
        for key in ("facturx", "ubl"):
            if key in r:
                found["einvoice"].append(out / r[key])
    return found


def variant(data: bytes, i: int) -> bytes:
    """The same document with different bytes: a comment after the end (PDF, XML) or trailing bytes
    after the image's end marker, which every reader here ignores."""
    if data.lstrip()[:5] == b"<?xml" or data.lstrip()[:1] == b"<":
        return data + b"\n<!-- load variant %d -->\n" % i
    if data[:5] == b"%PDF-":
        return data + b"\n%% load variant %d\n" % i
    return data + b"\0load-variant-%d" % i


def documents(out: Path, n: int) -> list[tuple[str, bytes, str]]:
    pool = pools(out)
    # Each kind spread evenly through the batch, the same way on every run: at each position, the kind
    # furthest behind its share so far.
    used = dict.fromkeys((k for k, _ in MIX), 0)
    plan: list[str] = []
    for i in range(n):
        kind = max(MIX, key=lambda ks: ks[1] * (i + 1) - used[ks[0]])[0]
        used[kind] += 1
        plan.append(kind)
    docs = []
    for i, kind in enumerate(plan):
        source = pool[kind][i % len(pool[kind])]
        docs.append((kind, variant(source.read_bytes(), i), f"{i:05d}-{source.name}"))
    return docs


class Sampler(threading.Thread):
    """Peak RSS of each worker process, its children (tesseract) included, sampled every half second."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.peaks = dict.fromkeys(pids, 0)
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            for pid in self.peaks:
                try:
                    proc = psutil.Process(pid)
                    rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
                except psutil.Error:
                    continue
                self.peaks[pid] = max(self.peaks[pid], rss)


class QueueProbe(threading.Thread):
    """A clerk reloading the review queue page while the load runs."""

    def __init__(self, sc: Scenario, tmp: Path) -> None:
        super().__init__(daemon=True)
        self.sc, self.tmp = sc, tmp
        self.times: list[float] = []
        self.errors = 0
        self.stop = threading.Event()
        self.proc: subprocess.Popen[bytes] | None = None

    def start_server(self) -> str:
        env = {**os.environ, **self.sc.env, "PAYABLES_SECRET_KEY": "load-bench-secret-key-0123456789abcdef"}
        password = self.tmp / "password"
        password.write_text("load-bench clerk passphrase 4711\n", encoding="utf-8")
        subprocess.run([sys.executable, "-m", "payables", "user", "add", "loadclerk", "--role", "clerk", "--limit",
                        "5000", "--password-file", str(password)], env=env, check=True, capture_output=True)
        port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-m", "payables", "serve", "--port", str(port)], env=env,
                                     stdout=open(self.tmp / "serve.log", "wb"), stderr=subprocess.STDOUT)  # noqa: SIM115
        return f"http://127.0.0.1:{port}"

    def run(self) -> None:
        import httpx

        base = self.start_server()
        client = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                form = client.get("/login")
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token, "no CSRF token on the sign-in page"
        signed = client.post("/login", data={"username": "loadclerk", "password": "load-bench clerk passphrase 4711",
                                             "csrf_token": token.group(1), "next": "/queue"},
                             headers={"Origin": base})
        assert signed.status_code == 303, (signed.status_code, signed.text[:300])
        while not self.stop.wait(1.0):
            started = time.monotonic()
            try:
                resp = client.get("/queue")
                if resp.status_code != 200:
                    self.errors += 1
                    continue
            except httpx.HTTPError:
                self.errors += 1
                continue
            self.times.append(time.monotonic() - started)

    def close(self) -> None:
        self.stop.set()
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(20)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_once(servers: Servers, docs: list[tuple[str, bytes, str]], workers: int, threads: int, tmp: Path,
             probe_ui: bool) -> dict[str, Any]:
    sc = Scenario(servers, f"load, {workers} worker(s)", tmp, settings={"PAYABLES_SWEEP_STALE_AFTER_S": "900"})
    probe = QueueProbe(sc, tmp) if probe_ui else None
    try:
        for _ in range(workers):
            sc.start_worker(threads=threads)
        sampler = Sampler([w.proc.pid for w in sc.workers])
        sampler.start()
        if probe:
            probe.start()
        started = time.monotonic()
        from ingest.intake import Envelope

        for _kind, data, name in docs:
            result = sc.pipeline.submit(data, Envelope(source="upload", filename=name, source_ref=f"load:{name}"))
            sc.accepted[result.sha256] = data
        submitted = time.monotonic() - started
        def settled_or_orphaned() -> bool:
            if all(w.proc.poll() is not None for w in sc.workers):
                raise RuntimeError(f"every worker process has exited ({[w.proc.returncode for w in sc.workers]}); "
                                   f"see {tmp}/worker-*.log")
            return sc.settled()

        sc.wait_for("the load to settle", settled_or_orphaned, timeout_s=24 * 3600, poll_s=2.0)
        elapsed = time.monotonic() - started
        sampler.stop.set()
        if probe:
            probe.close()
        result = sc.check()
        metrics = _metrics(sc)
        with sc.rt.sessions() as s:
            from models.matching import Hold

            metrics["open_holds"] = dict(Counter(s.scalars(select(Hold.code).where(Hold.status == "open"))))
        return {
            "workers": workers, "threads": threads, "documents": len(docs), "elapsed_s": round(elapsed, 1),
            "submit_s": round(submitted, 1), "docs_per_min": round(len(docs) / elapsed * 60, 1),
            **metrics,
            "peak_rss_mb": [round(v / 2**20) for v in sampler.peaks.values()],
            "invariants": {"lost": result.lost, "duplicated": result.duplicated, "stuck": result.stuck,
                           "bills_duplicated": result.bills_duplicated, "problems": result.problems[:5]},
            "states": result.states,
            "ui_queue": None if probe is None else {
                "requests": len(probe.times), "errors": probe.errors, "p50_ms": round(pct(probe.times, 0.5) * 1000),
                "p95_ms": round(pct(probe.times, 0.95) * 1000)},
        }
    finally:
        if probe:
            probe.close()
        sc.close()


def _metrics(sc: Scenario) -> dict[str, Any]:
    with sc.rt.sessions() as s:
        rows = s.execute(select(AuditEntry.document_id, AuditEntry.to_state, AuditEntry.at, AuditEntry.action)
                         .where(AuditEntry.document_id.is_not(None)).order_by(AuditEntry.id)).all()
    arrived: dict[int, float] = {}
    settled: dict[int, float] = {}
    per_stage: dict[str, list[float]] = defaultdict(list)
    for doc_id, to_state, at, action in rows:
        t = at.timestamp()
        if action == "received":
            arrived.setdefault(doc_id, t)
        if to_state in STAGE_OF:
            per_stage[STAGE_OF[to_state]].append(t)
        if to_state in SETTLED and doc_id not in settled:
            settled[doc_id] = t
    latency = [settled[d] - arrived[d] for d in settled if d in arrived]
    throughput = {stage: round(len(ts) / max(max(ts) - min(ts), 1e-3), 2) for stage, ts in per_stage.items() if ts}
    durations: dict[str, list[int]] = defaultdict(list)
    for match in STAGE_LOG.finditer(sc.logs()):
        durations[match.group(1)].append(int(match.group(3)))
    return {
        "stage_docs_per_s": throughput,
        "stage_ms": {k: {"n": len(v), "p50": round(statistics.median(v)), "p95": round(pct(v, 0.95))}
                     for k, v in durations.items()},
        "arrival_to_queued_or_posted_s": {"p50": round(pct(latency, 0.5), 1), "p95": round(pct(latency, 0.95), 1)},
        "transitions_into": dict(Counter(r[1] for r in rows if r[1] in ("in_review", "posted", "refused", "failed"))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--distinct", type=int, default=200, help="Invoices rendered by synth.")
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--workers", default="2,1", help="Worker process counts to run, in order.")
    parser.add_argument("--threads", type=int, default=2, help="Threads per worker process.")
    parser.add_argument("--world", type=Path, default=Path("var/load-world"))
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    out = world(args.world, min(args.distinct, args.docs), args.seed)
    docs = documents(out, args.docs)
    print(f"{len(docs)} documents: {dict(Counter(k for k, _, _ in docs))}", flush=True)
    results = []
    with postgres_server() as pg, redis_server() as redis, s3_server() as s3, \
            tempfile.TemporaryDirectory(prefix="payables-load-") as tmp:
        gate = TcpGate(s3.port)
        gate.open()
        template = pg.create_database("load_template").rsplit("/", 1)[1]
        env = {**os.environ, "PAYABLES_DATABASE_URL": pg.url(template), "PAYABLES_DATA_DIR": f"{tmp}/template"}
        for step in (["db", "upgrade"], ["erp", "import", str(out / "snapshot.json")]):
            subprocess.run([sys.executable, "-m", "payables", *step], env=env, check=True, capture_output=True)
        servers = Servers(pg, redis, s3, gate, template, out)
        for i, count in enumerate(int(w) for w in args.workers.split(",")):
            run_dir = Path(tmp) / f"run-{count}"
            run_dir.mkdir()
            result = run_once(servers, docs, count, args.threads, run_dir, probe_ui=(i == 0))
            results.append(result)
            print(json.dumps(result, indent=1), flush=True)
        gate.close()
    if len(results) >= 2:
        by = {r["workers"]: r for r in results}
        if 1 in by and 2 in by:
            print(f"\nscaling 1 → 2 workers: {by[2]['docs_per_min'] / by[1]['docs_per_min']:.2f}× throughput "
                  f"({by[1]['docs_per_min']} → {by[2]['docs_per_min']} documents/min)")
    per_doc_s = results[0]["elapsed_s"] / results[0]["documents"]
    print(f"extrapolated to 10,000 documents with {results[0]['workers']} workers: "
          f"{per_doc_s * 10_000 / 3600:.1f} h on this machine")


if __name__ == "__main__":
    main()
