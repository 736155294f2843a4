"""The pipeline carries each document through its stages once, survives redelivery, and records failure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from ingest.intake import Envelope
from models.audit import AuditEntry, verify_chain
from models.db import transaction
from models.documents import Document, Page
from models.extractions import Extraction
from models.states import DocumentState
from payables.pipeline import Pipeline
from tests.payables.invoices import invoice_pdf

PAST_EXTRACTION = {s.value for s in DocumentState} - {
    DocumentState.STORED.value, DocumentState.TEXT_READY.value, DocumentState.FAILED.value,
    DocumentState.REFUSED.value}


def _counts(pipeline: Pipeline, doc_id: int) -> tuple[int, int, int]:
    with pipeline.rt.sessions() as s:
        pages = s.scalar(select(func.count(Page.id)).where(Page.document_id == doc_id)) or 0
        versions = s.scalar(select(func.count(Extraction.id)).where(Extraction.document_id == doc_id)) or 0
        audit = s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.document_id == doc_id)) or 0
    return pages, versions, audit


def test_a_text_pdf_is_read_and_extracted(embedded: Pipeline) -> None:
    result = embedded.submit(invoice_pdf(), Envelope(source="upload", filename="inv.pdf"))
    embedded.drain(timeout_s=120)
    doc_id = result.document_id
    assert doc_id is not None
    with embedded.rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.state in PAST_EXTRACTION, (doc.state, doc.failure_reason)
        assert doc.invoice_number == "INV-2025-0042"
        extraction = s.scalars(select(Extraction).where(Extraction.document_id == doc_id)).one()
        assert extraction.kind == "machine" and extraction.version == 1
    assert _counts(embedded, doc_id)[0] == 1


def test_a_message_delivered_twice_changes_nothing(embedded: Pipeline) -> None:
    doc_id = embedded.submit(invoice_pdf("INV-7"), Envelope(source="upload")).document_id
    assert doc_id is not None
    embedded.drain(timeout_s=120)
    before = _counts(embedded, doc_id)
    with embedded.rt.sessions() as s:
        state_before = s.scalars(select(Document.state).where(Document.id == doc_id)).one()
    for stage in ("read", "extract", "read", "extract"):
        embedded.enqueue(stage, doc_id)
    embedded.drain(timeout_s=120)
    assert _counts(embedded, doc_id) == before
    with embedded.rt.sessions() as s:
        assert s.scalars(select(Document.state).where(Document.id == doc_id)).one() == state_before
        assert verify_chain(s.scalars(select(AuditEntry).order_by(AuditEntry.id))).ok


def test_a_stage_that_keeps_failing_leaves_the_document_failed_and_retryable(embedded: Pipeline) -> None:
    data = invoice_pdf("INV-9")
    result = embedded.rt.intake.register(data, Envelope(source="upload"))
    doc_id = result.document_id
    assert doc_id is not None
    with embedded.rt.sessions() as s:
        key = s.scalars(select(Document.object_key).where(Document.id == doc_id)).one()
    embedded.rt.store.delete(key or "")  # the store lost the original: every read fails
    embedded.enqueue("read", doc_id)
    embedded.drain(timeout_s=120)
    with embedded.rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        assert (doc.state, doc.failed_stage, doc.failure_code) == ("failed", "read", "object_not_found")
        assert "missing" in (doc.failure_reason or "") or "not in" in (doc.failure_reason or "")
    embedded.rt.store.put(data, content_type="application/pdf")  # restored from backup
    assert embedded.retry(doc_id, actor="user:operator") == "read"
    embedded.drain(timeout_s=120)
    with embedded.rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.state in PAST_EXTRACTION, (doc.state, doc.failure_reason)


def test_junk_is_refused_with_its_reason_and_nothing_else_happens(embedded: Pipeline) -> None:
    result = embedded.submit(b"%PDF-1.4\n garbage that is not a real PDF \n%%EOF", Envelope(source="upload"))
    embedded.drain(timeout_s=60)
    with embedded.rt.sessions() as s:
        doc = s.get(Document, result.document_id)
        assert doc is not None and doc.state == DocumentState.REFUSED.value
        assert doc.failure_reason


def test_the_sweeper_resends_a_document_whose_enqueue_was_lost(embedded: Pipeline) -> None:
    # Intake committed, then the process died before the message reached the broker.
    doc_id = embedded.rt.intake.register(invoice_pdf("INV-LOST"), Envelope(source="upload")).document_id
    assert doc_id is not None
    assert embedded.sweep(stale_after_s=3600) == []  # not stale yet: it may still be on its way
    assert embedded.sweep(stale_after_s=0) == [("read", doc_id)]
    embedded.drain(timeout_s=120)
    with embedded.rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.state != DocumentState.STORED.value


def test_the_sweeper_sends_a_waiting_document_once_per_stale_period_whatever_the_workers(
        embedded: Pipeline) -> None:
    # Every worker process runs a sweeper. A document waiting behind a deep backlog is re-sent by one of
    # them, then left alone for another stale period instead of being re-sent at every sweep.
    doc_id = embedded.rt.intake.register(invoice_pdf("INV-WAIT"), Envelope(source="upload")).document_id
    with transaction(embedded.rt.sessions) as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        doc.updated_at = datetime.now(UTC) - timedelta(hours=2)
    assert embedded.sweep(stale_after_s=600) == [("read", doc_id)]
    assert embedded.sweep(stale_after_s=600) == []  # the next sweep, in this or another worker
    assert embedded.sweep(stale_after_s=0) == [("read", doc_id)]  # a stale period later: once more


def test_a_redelivered_stage_sends_on_a_document_whose_next_message_was_lost(embedded: Pipeline) -> None:
    # The read stage committed, then its worker died before enqueueing extract; the broker redelivers
    # read, which finds nothing to do and sends the document on to extract.
    doc_id = embedded.rt.intake.register(invoice_pdf("INV-CRASH"), Envelope(source="upload")).document_id
    assert doc_id is not None
    from payables.stages import read

    assert read.run(embedded.rt, doc_id) != []  # stage done, its "next" never sent
    embedded.enqueue("read", doc_id)
    embedded.drain(timeout_s=120)
    with embedded.rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.state in PAST_EXTRACTION, (doc.state, doc.failure_reason)
