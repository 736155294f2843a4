"""The order of the stages, and the dramatiq actors that run them.

``intake → read → extract → match → post``: each actor carries a document id only, runs its stage,
and enqueues what the stage names next. Bad input ends as a refusal with its reason, transient faults
are retried with exponential backoff, and a stage that keeps failing leaves the document in ``failed``
with the stage and the reason, visible in the queue and retryable from there.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import dramatiq
import dramatiq.errors
from dramatiq.middleware import CurrentMessage, Middleware, Retries, TimeLimit
from sqlalchemy import select, update

from ingest.intake import Envelope, IntakeResult
from ingest.sniff import CONTAINERS
from models.db import transaction
from models.documents import Document
from models.errors import DocumentUnreadable, InputRefused, TransientError
from models.lifecycle import fail_document, move_document
from models.states import DocumentState
from payables.broker import make_broker
from payables.runtime import Runtime
from payables.stages import Next

log = logging.getLogger("payables.pipeline")

# Stage name → module with ``run(rt, document_id) -> list[Next]``, in pipeline order.
STAGES: dict[str, str] = {
    "read": "payables.stages.read",
    "extract": "payables.stages.extract",
    "match": "payables.stages.match",
    "post": "payables.stages.post",
}
FIRST_STAGE = "read"
REFUSAL_ERRORS = (InputRefused, DocumentUnreadable)

StageFn = Callable[[Runtime, int], list[Next]]


@dataclass
class Pipeline:
    rt: Runtime
    broker: dramatiq.Broker
    actors: dict[str, dramatiq.Actor[Any, Any]] = field(default_factory=dict)
    worker: dramatiq.Worker | None = None

    @classmethod
    def build(cls, rt: Runtime) -> Pipeline:
        st = rt.settings
        middleware: list[Middleware] = [
            TimeLimit(time_limit=st.stage_time_limit_s * 1000),
            Retries(max_retries=st.stage_max_retries, min_backoff=1000, max_backoff=60_000),
            CurrentMessage(),
        ]
        broker = make_broker(st, middleware=middleware)
        pipeline = cls(rt, broker)
        for name in STAGES:
            pipeline.actors[name] = pipeline._declare(name)
        return pipeline

    def _declare(self, stage: str) -> dramatiq.Actor[Any, Any]:
        def run_stage(document_id: int) -> None:
            self.run_stage(stage, document_id)

        run_stage.__name__ = f"stage_{stage}"
        declare = dramatiq.actor(actor_name=f"payables.{stage}", queue_name=stage, broker=self.broker,
                                 max_retries=self.rt.settings.stage_max_retries)
        actor: dramatiq.Actor[Any, Any] = declare(run_stage)
        return actor

    # -- running one stage ------------------------------------------------------------------------

    def run_stage(self, stage: str, document_id: int) -> None:
        message = CurrentMessage.get_current_message()
        retries = int(message.options.get("retries", 0)) if message else 0
        started = time.monotonic()
        try:
            fn: StageFn = importlib.import_module(STAGES[stage]).run
            following = fn(self.rt, document_id)
        except REFUSAL_ERRORS as exc:
            self._refuse(stage, document_id, exc)
            return
        except Exception as exc:
            if retries >= self.rt.settings.stage_max_retries or message is None:
                self._fail(stage, document_id, exc)
                return
            log.warning("stage %s of document %s failed (try %d), will retry: %s", stage, document_id,
                        retries + 1, exc)
            raise
        log.info("stage %s of document %s done in %.0f ms", stage, document_id,
                 (time.monotonic() - started) * 1000)
        for nxt in following or self._resume(stage, document_id):
            self.enqueue(nxt.stage, nxt.document_id)

    def _resume(self, stage: str, document_id: int) -> list[Next]:
        """A stage that had nothing to do may be a redelivery after a crash that came between its commit
        and the enqueue of the next stage (a worker killed, the broker down): send the document on to
        the stage its state asks for, instead of leaving it to the sweeper."""
        with self.rt.sessions() as s:
            row = s.execute(select(Document.state, Document.media_type).where(Document.id == document_id)).first()
        following = next_stage(row.state, row.media_type) if row is not None else None
        return [Next(following, document_id)] if following and following != stage else []

    def _refuse(self, stage: str, document_id: int, exc: InputRefused | DocumentUnreadable) -> None:
        with transaction(self.rt.sessions) as s:
            doc = s.get(Document, document_id)
            if doc is None:
                return
            doc.failure_code, doc.failure_reason = exc.code, exc.message
            if DocumentState(doc.state) in (DocumentState.STORED, DocumentState.TEXT_READY):
                move_document(s, doc, DocumentState.REFUSED, actor=f"system:{stage}", reason=exc.message,
                              changes={"code": exc.code})
                doc.failure_code, doc.failure_reason = exc.code, exc.message
            else:
                fail_document(s, doc, stage=stage, code=exc.code, reason=exc.message, actor=f"system:{stage}")

    def _fail(self, stage: str, document_id: int, exc: Exception) -> None:
        code = getattr(exc, "code", type(exc).__name__)
        reason = f"{type(exc).__name__}: {exc}"[:2000]
        log.error("stage %s of document %s failed for good: %s", stage, document_id, reason)
        with transaction(self.rt.sessions) as s:
            doc = s.get(Document, document_id)
            if doc is not None and doc.state != DocumentState.FAILED.value:
                doc.attempts = (doc.attempts or 0) + 1
                fail_document(s, doc, stage=stage, code=str(code), reason=reason, actor=f"system:{stage}")

    # -- feeding the pipeline ---------------------------------------------------------------------

    def enqueue(self, stage: str, document_id: int) -> None:
        try:
            self.actors[stage].send(document_id)
        except dramatiq.errors.ConnectionError as exc:
            # The document is safe in the database; the sweeper re-sends it once the broker is back.
            raise TransientError(f"the broker is unreachable ({exc}); document {document_id} waits for "
                                 "the sweeper") from exc

    def submit(self, data: bytes, envelope: Envelope) -> IntakeResult:
        result = self.rt.intake.register(data, envelope)
        for document_id in result.to_process:
            self.enqueue(FIRST_STAGE, document_id)
        return result

    def sweep(self, stale_after_s: float = 600.0) -> list[tuple[str, int]]:
        """Re-send documents that sit in a working state with no sign of progress (an enqueue that failed
        after intake committed, a broker that lost its queue). Sending twice is harmless: every stage
        checks the state first."""
        now = datetime.now(UTC)
        cutoff = now - timedelta(seconds=stale_after_s)
        # A re-sent document's updated_at moves on in the same statement that finds it: one sweeper (of
        # however many worker processes run one) sends it, and none sends it again for another stale
        # period. Without this every worker re-sent every waiting document at every sweep, and with
        # 10,000 documents queued at once (bench/load.py) over a third of all reads were such copies.
        with transaction(self.rt.sessions) as s:
            rows = s.execute(
                update(Document)
                .where(Document.state.in_([st.value for st in SWEPT]), Document.updated_at < cutoff)
                .values(updated_at=now)
                .returning(Document.id, Document.state, Document.media_type)
                .execution_options(synchronize_session=False)).all()
        sent = []
        for doc_id, state, media_type in rows:
            stage = next_stage(state, media_type)
            if stage is not None:
                self.enqueue(stage, doc_id)
                sent.append((stage, doc_id))
        if sent:
            log.warning("sweeper re-sent %d stalled documents", len(sent))
        return sent

    def retry(self, document_id: int, *, actor: str) -> str | None:
        """Send a failed document back to the stage that failed; returns that stage."""
        with transaction(self.rt.sessions) as s:
            doc = s.get(Document, document_id)
            if doc is None or doc.state != DocumentState.FAILED.value:
                return None
            stage = doc.failed_stage or FIRST_STAGE
            back_to = RETRY_STATE.get(stage, DocumentState.STORED)
            move_document(s, doc, back_to, actor=actor, reason=f"retry of stage {stage}")
        self.enqueue(stage, document_id)
        return stage

    # -- in-process running (the embedded default) ------------------------------------------------

    def start_worker(self, threads: int | None = None) -> dramatiq.Worker:
        self.worker = dramatiq.Worker(self.broker, worker_threads=threads or self.rt.settings.worker_threads,
                                      worker_timeout=100)
        self.worker.start()
        return self.worker

    def drain(self, timeout_s: float | None = None) -> None:
        """Wait until every queue is empty and no message is in flight or waiting out a retry backoff
        (in-process broker and worker only)."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        queues: dict[str, Any] = getattr(self.broker, "queues", {})
        while True:
            for stage in STAGES:
                remaining = None if deadline is None else max(1, int((deadline - time.monotonic()) * 1000))
                self.broker.join(stage, timeout=remaining, fail_fast=False)  # type: ignore[call-arg]
            if self.worker is not None:
                self.worker.join()
            # A stage may have enqueued into a queue already joined, or a retry may be waiting out its
            # backoff in a consumer's delay queue: go round until everything is still.
            delayed = 0 if self.worker is None else sum(
                c.delay_queue.unfinished_tasks for c in self.worker.consumers.values())
            if not delayed and not any(q.unfinished_tasks for q in queues.values()):
                return
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError("the pipeline did not finish in time")

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None


# Working states and the stage that moves a document on from each.
SWEPT: dict[DocumentState, str] = {
    DocumentState.STORED: "read",
    DocumentState.TEXT_READY: "extract",
    DocumentState.EXTRACTED: "match",
    DocumentState.AUTO_APPROVED: "post",
    DocumentState.APPROVED: "post",
    DocumentState.POSTING: "post",
}

def next_stage(state: str, media_type: str) -> str | None:
    """The stage that moves a document on from ``state``; None where a person (or nothing) acts next.
    A container still in ``stored`` is being unpacked by intake, and its source's redelivery finishes it."""
    if state == DocumentState.STORED.value and media_type in CONTAINERS:
        return None
    try:
        return SWEPT.get(DocumentState(state))
    except ValueError:
        return None


RETRY_STATE: dict[str, DocumentState] = {
    "read": DocumentState.STORED,
    "extract": DocumentState.TEXT_READY,
    "match": DocumentState.EXTRACTED,
    "post": DocumentState.APPROVED,
}
