"""The production configuration, one scenario at a time, and the invariants every fault must leave intact.

A ``Scenario`` is a fresh system on shared servers: its own PostgreSQL database (copied from a template
that is migrated and holds the ERP mirror imported from the synthetic world's snapshot), its own Redis
database as the broker, its own S3 bucket, its own sandbox Odoo loaded with the same snapshot, and
``python -m payables worker`` processes started with the production settings. The test process is the
sender: it submits the batch through ``Pipeline.submit`` as an upload would.

``Scenario.check()`` measures what must hold after any fault, once the system has recovered:

- every original stored exactly once: each accepted file has one document whose bytes are in the bucket
  under their hash, and the bucket holds nothing else;
- every document settled (terminal or waiting for a person), none stuck in a working state;
- no machine extraction, match run, page or audit transition recorded twice for a document;
- in Odoo, exactly one bill per posted document (found by its posting key), none for any other.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import func, select, text

from erp.sandbox import SandboxServer, new_world
from ingest.intake import Envelope
from models.audit import AuditEntry, verify_chain
from models.documents import Document, Page
from models.errors import PayablesError
from models.extractions import Extraction
from models.matching import MatchResult
from models.postings import Posting
from models.states import REVIEWABLE, TERMINAL, DocumentState
from payables.pipeline import Pipeline
from payables.runtime import Runtime
from payables.settings import load_settings
from tests.support.servers import Postgres, Redis, S3Server, free_port

ODOO_KEY = "fault-key"
SETTLED = {s.value for s in TERMINAL | REVIEWABLE} - {DocumentState.APPROVED.value}
BILL_TYPES = ("in_invoice", "in_refund")
RESULTS: list[FaultResult] = []


@dataclass
class FaultResult:
    scenario: str
    documents: int
    lost: int
    duplicated: int
    stuck: int
    bills_duplicated: int
    states: dict[str, int]
    seconds: float
    problems: list[str] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)  # "stage: code" of documents left failed

    @property
    def clean(self) -> bool:
        return not (self.lost or self.duplicated or self.stuck or self.bills_duplicated or self.problems)

    def line(self) -> str:
        states = ", ".join(f"{k} {v}" for k, v in sorted(self.states.items()))
        if self.failures:
            states += " (" + ", ".join(f"{k} ×{v}" for k, v in sorted(self.failures.items())) + ")"
        return (f"| {self.scenario} | {self.documents} | {self.lost} | {self.duplicated} | {self.stuck} | "
                f"{self.bills_duplicated} | {states} | {self.seconds:.0f} s |")


class TcpGate:
    """A loopback TCP forwarder that can be closed and opened: the S3 server 'down' (connections refused,
    open ones cut) without losing what moto holds in memory."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            for conn in self._conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self._conns.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            # Both directions done: the pair is closed and forgotten, or a long run (bench/load.py's
            # 10,000 documents, a connection per S3 request) runs the process out of file descriptors.
            remaining = [2]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b, remaining), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, remaining: list[int]) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)
            with self._lock:
                remaining[0] -= 1
                done = remaining[0] == 0
                if done:
                    self._conns = [c for c in self._conns if c is not src and c is not dst]
            if done:
                src.close()
                dst.close()


@dataclass
class Servers:
    postgres: Postgres
    redis: Redis
    s3: S3Server
    gate: TcpGate
    template: str  # a migrated database holding the mirror of the world
    world: Path
    counter: int = 0

    def next_name(self) -> int:
        self.counter += 1
        return self.counter


@dataclass
class Worker:
    proc: subprocess.Popen[bytes]
    queues: str
    log: Path


class Scenario:
    def __init__(self, servers: Servers, name: str, tmp: Path, *, settings: dict[str, str] | None = None,
                 storage_url: str | None = None, path_prefix: Path | None = None) -> None:
        self.servers, self.name, self.tmp = servers, name, tmp
        n = servers.next_name()
        db = f"fault_{n}"
        _create_from_template(servers.postgres, db, servers.template)
        self.sandbox = SandboxServer(new_world(snapshot=servers.world / "snapshot.json", api_key=ODOO_KEY)).start()
        self.env: dict[str, str] = {
            "PAYABLES_DATA_DIR": str(tmp / "var"),
            "PAYABLES_DATABASE_URL": servers.postgres.url(db),
            "PAYABLES_BROKER_URL": servers.redis.url.removesuffix("/0") + f"/{n % 15 + 1}",
            "PAYABLES_STORAGE_URL": storage_url or f"s3+http://127.0.0.1:{servers.gate.port}/fault-{n}",
            "PAYABLES_S3_ACCESS_KEY": servers.s3.access_key,
            "PAYABLES_S3_SECRET_KEY": servers.s3.secret_key,
            "PAYABLES_ODOO_URL": self.sandbox.url,
            "PAYABLES_ODOO_DB": "sandbox",
            "PAYABLES_ODOO_USER": "admin",
            "PAYABLES_ODOO_API_KEY": ODOO_KEY,
            "PAYABLES_ODOO_TIMEOUT_S": "10",
            "PAYABLES_STAGE_MAX_RETRIES": "3",
            "PAYABLES_BROKER_HEARTBEAT_TIMEOUT_MS": "3000",
            "PAYABLES_BROKER_MAINTENANCE_CHANCE": "1000000",
            "PAYABLES_SWEEP_INTERVAL_S": "3",
            "PAYABLES_SWEEP_STALE_AFTER_S": "40",
            "PAYABLES_OCR_LANGUAGES": "eng+deu+fra",
            "PAYABLES_OCR_PAGE_TIMEOUT_S": "60",
            **(settings or {}),
        }
        import redis as redis_client

        redis_client.Redis.from_url(self.env["PAYABLES_BROKER_URL"]).flushdb()
        self.path_prefix = path_prefix
        self.workers: list[Worker] = []
        self.accepted: dict[str, bytes] = {}  # sha256 → bytes of each file intake accepted
        self.refused_by_intake: list[str] = []
        self.started = time.monotonic()
        self._rt: Runtime | None = None
        self._pipeline: Pipeline | None = None

    # -- the system ---------------------------------------------------------------------------------

    @property
    def rt(self) -> Runtime:
        if self._rt is None:
            settings = load_settings(**{k.removeprefix("PAYABLES_").lower(): v for k, v in self.env.items()})
            self._rt = Runtime.from_settings(settings, migrate=False)
        return self._rt

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline.build(self.rt)
        return self._pipeline

    def start_worker(self, queues: str = "read,extract,match,post", threads: int = 2) -> Worker:
        env = {**os.environ, **self.env, "OMP_THREAD_LIMIT": "1"}
        if self.path_prefix is not None:
            env["PATH"] = f"{self.path_prefix}:{env['PATH']}"
        log = self.tmp / f"worker-{len(self.workers)}.log"
        proc = subprocess.Popen([sys.executable, "-m", "payables", "-v", "worker", "--threads", str(threads),
                                 "--queues", queues], env=env, stdout=open(log, "wb"),  # noqa: SIM115
                                stderr=subprocess.STDOUT, start_new_session=True)
        worker = Worker(proc, queues, log)
        self.workers.append(worker)
        return worker

    def kill(self, worker: Worker) -> None:
        """``kill -9`` of the worker and whatever it had started (a tesseract it was waiting for)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.proc.pid, signal.SIGKILL)
        worker.proc.wait(10)

    def logs(self) -> str:
        return "\n".join(w.log.read_text(encoding="utf-8", errors="replace") for w in self.workers if w.log.exists())

    def close(self) -> None:
        for worker in self.workers:
            if worker.proc.poll() is None:
                worker.proc.terminate()
        deadline = time.monotonic() + 10
        for worker in self.workers:
            try:
                worker.proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.kill(worker)  # the scenario is over; a message still in hand is not waited for
        self.sandbox.stop()
        if self._rt is not None:
            self._rt.close()

    # -- sending and waiting ------------------------------------------------------------------------

    def submit(self, files: list[Path], *, tries: int = 1, pause_s: float = 0.0) -> None:
        """Send each file as an upload. A file intake could not accept (the store down, the disk full) is
        sent again later, as a mail poller leaves a message in the inbox: up to ``tries`` rounds."""
        pending = list(files)
        for attempt in range(tries):
            failed = []
            for path in pending:
                data = path.read_bytes()
                try:
                    result = self.pipeline.submit(data, Envelope(source="upload", filename=path.name,
                                                                 source_ref=f"fault:{path.name}"))
                except PayablesError:
                    failed.append(path)
                    continue
                for r in result.flatten():
                    if r.outcome == "refused" and r.document_id is None:
                        self.refused_by_intake.append(r.filename or "?")
                self.accepted[result.sha256] = data
                if pause_s:
                    time.sleep(pause_s)
            pending = failed
            if not pending:
                return
            if attempt + 1 < tries:
                time.sleep(5)
        raise AssertionError(f"intake never accepted {[p.name for p in pending]}")

    def states(self) -> Counter[str]:
        with self.rt.sessions() as s:
            rows = s.execute(select(Document.state, func.count()).group_by(Document.state)).all()
        return Counter({state: n for state, n in rows})

    def wait_for(self, what: str, predicate: Callable[[], bool], timeout_s: float = 120.0, poll_s: float = 0.2) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(poll_s)
        raise AssertionError(f"{self.name}: gave up waiting for {what} after {timeout_s:.0f} s; states "
                             f"{dict(self.states())}")

    def any_in(self, *states: str) -> bool:
        with self.rt.sessions() as s:
            return bool(s.scalar(select(func.count()).select_from(Document).where(Document.state.in_(states))))

    def settled(self) -> bool:
        with self.rt.sessions() as s:
            return not s.scalar(select(func.count()).select_from(Document).where(Document.state.not_in(SETTLED)))

    def settle(self, timeout_s: float = 240.0) -> None:
        """Wait until no document is in a working state (the recovery has run its course)."""
        with contextlib.suppress(AssertionError):
            self.wait_for("every document to settle", self.settled, timeout_s, poll_s=0.5)

    def busy_in(self, queue: str) -> Worker | None:
        """A live worker with a ``queue`` message in hand right now (dramatiq's per-worker ack set)."""
        import redis as redis_client

        client = redis_client.Redis.from_url(self.env["PAYABLES_BROKER_URL"])
        for key in client.scan_iter(match=f"dramatiq:__acks__.*.{queue}"):
            if client.scard(key):
                for worker in self.workers:
                    if worker.proc.poll() is None and queue in worker.queues.split(","):
                        return worker
        return None

    def running_tesseract(self) -> Worker | None:
        for worker in self.workers:
            if worker.proc.poll() is not None:
                continue
            with contextlib.suppress(psutil.Error):
                if any(c.name() == "tesseract" for c in psutil.Process(worker.proc.pid).children(recursive=True)):
                    return worker
        return None

    # -- the invariants -----------------------------------------------------------------------------

    def check(self, *, record: bool = True) -> FaultResult:
        problems: list[str] = []
        with self.rt.sessions() as s:
            docs = s.execute(select(Document.id, Document.sha256, Document.state, Document.object_key,
                                    Document.media_type)).all()
            by_sha = Counter(d.sha256 for d in docs)
            stored = {d.object_key for d in docs if d.object_key}
            lost = sum(1 for sha in self.accepted if sha not in by_sha)
            duplicated = sum(n - 1 for n in by_sha.values() if n > 1)
            keys = set(self.rt.store.keys("sha256/"))
            missing = stored - keys
            stray = keys - stored
            lost += len(missing)
            duplicated += len(stray)
            machine = Extraction.kind == "machine"
            rows = s.execute(select(Extraction.document_id, func.count()).where(machine)
                             .group_by(Extraction.document_id).having(func.count() > 1)).all()
            duplicated += sum(n - 1 for _, n in rows)
            problems += [f"machine extraction recorded {n} times for document {d}" for d, n in rows]
            # A document in review is matched again by design after `payables erp sync` (re-evaluation,
            # audited as system:rematch); any other second match run is a duplicate.
            rematched = Counter(s.scalars(select(AuditEntry.document_id).where(AuditEntry.actor == "system:rematch")))
            runs = s.execute(select(MatchResult.document_id, func.count()).group_by(MatchResult.document_id)).all()
            extra = [(d, n) for d, n in runs if n > 1 + rematched.get(d, 0)]
            duplicated += sum(n - 1 - rematched.get(d, 0) for d, n in extra)
            problems += [f"match run recorded {n} times for document {d}" for d, n in extra]
            pages = s.execute(select(Page.document_id, Page.number, func.count())
                              .group_by(Page.document_id, Page.number).having(func.count() > 1)).all()
            duplicated += len(pages)
            transitions = s.execute(select(AuditEntry.document_id, AuditEntry.from_state, AuditEntry.to_state,
                                           func.count()).where(AuditEntry.to_state.is_not(None))
                                    .group_by(AuditEntry.document_id, AuditEntry.from_state, AuditEntry.to_state)
                                    .having(func.count() > 1)).all()
            # A document may legitimately pass the same transition twice only through a retry from failed.
            retried = set(s.scalars(select(AuditEntry.document_id).where(AuditEntry.from_state == "failed")))
            doubled = [t for t in transitions if t[0] not in retried]
            duplicated += len(doubled)
            problems += [f"audit transition {t[1]}→{t[2]} recorded {t[3]} times for document {t[0]}" for t in doubled]
            stuck_docs = [(d.id, d.state) for d in docs if d.state not in SETTLED]
            chain = verify_chain(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
            if not chain.ok:
                problems.append(f"the audit chain breaks at entry {chain.first_bad_id}: {chain.problem}")
            postings = dict(s.execute(select(Posting.document_id, Posting.posting_key)).tuples().all())
            failures = Counter(f"{stage}: {code}" for stage, code in s.execute(
                select(Document.failed_stage, Document.failure_code).where(Document.state == "failed")))
            posted = {d.id for d in docs if d.state == DocumentState.POSTED.value}
        if missing:
            problems.append(f"originals missing from the bucket: {sorted(missing)[:3]}")
        if stray:
            problems.append(f"objects in the bucket no document owns: {sorted(stray)[:3]}")
        bills = self.bills()
        by_key = Counter(bills.values())
        bills_duplicated = sum(n - 1 for n in by_key.values() if n > 1)
        for doc_id, key in postings.items():
            if doc_id in posted and by_key.get(key, 0) != 1:
                problems.append(f"document {doc_id} is posted but Odoo holds {by_key.get(key, 0)} bills for it")
        known_keys = {postings[d] for d in posted if d in postings}
        unowned = [k for k in by_key if k not in known_keys]
        bills_duplicated += len(unowned)
        problems += [f"a bill in Odoo with key {k} belongs to no posted document" for k in unowned]
        result = FaultResult(self.name, len(docs), lost, duplicated, len(stuck_docs), bills_duplicated,
                             dict(Counter(d.state for d in docs)), time.monotonic() - self.started, problems,
                             dict(failures))
        if stuck_docs:
            result.problems.append(f"stuck: {stuck_docs[:5]}")
        if record:
            RESULTS.append(result)
        if failures:
            with self.rt.sessions() as s:
                for doc_id, reason in s.execute(select(Document.id, Document.failure_reason)
                                                .where(Document.state == "failed")):
                    print(f"{self.name}: document {doc_id} failed: {reason}")
        return result

    def bills(self) -> dict[int, str]:
        """Bills payables made in the sandbox Odoo: move id → the posting key in its narration."""
        out = {}
        for move_id, rec in self.sandbox.world.tables.get("account.move", {}).items():
            narration = str(rec.get("narration") or "")
            if rec.get("move_type") in BILL_TYPES and "Posted by payables, key " in narration:
                key = narration.split("Posted by payables, key ", 1)[1].split("<", 1)[0].strip()
                out[move_id] = key
        return out


def _create_from_template(pg: Postgres, name: str, template: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(pg.url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    finally:
        engine.dispose()


def batch(world: Path, size: int, *, scans: int = 1) -> list[Path]:
    """``size`` documents of the world, one rendering per invoice and every kind of rendering: invoices
    that should post on their own mostly as e-invoices and digital PDFs (so that posting is exercised),
    ``scans`` of them as scans, and those with exceptions as e-mails and PDFs."""
    clean_kinds = ["einvoice", "pdf", "einvoice", "pdf", "einvoice"]
    held_kinds = ["email", "pdf"]
    chosen: list[Path] = []
    for path in sorted((world / "expected").glob("*.json")):
        exp = json.loads(path.read_text(encoding="utf-8"))
        if exp.get("document_type", "invoice") != "invoice" or exp.get("duplicate_of"):
            continue
        renderings: dict[str, str] = exp.get("renderings") or {}
        if exp.get("auto_approve"):
            kind = "scan" if scans > 0 else clean_kinds[len(chosen) % len(clean_kinds)]
            scans -= kind == "scan"
        else:
            kind = held_kinds[len(chosen) % len(held_kinds)]
        keys = ("facturx", "ubl") if kind == "einvoice" else (kind,)
        pick = next((renderings[k] for k in keys if k in renderings), None) or renderings.get("pdf")
        if pick:
            chosen.append(world / pick)
        if len(chosen) == size:
            break
    return chosen


@contextlib.contextmanager
def scenario(servers: Servers, name: str, tmp: Path, **kw: Any) -> Iterator[Scenario]:
    sc = Scenario(servers, name, tmp, **kw)
    try:
        yield sc
    finally:
        sc.close()


def report() -> str:
    rows = ["| scenario | documents | lost | duplicated | stuck | bills duplicated | end states | time |",
            "|---|---|---|---|---|---|---|---|"]
    return "\n".join(rows + [r.line() for r in RESULTS])
