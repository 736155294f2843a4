"""Stage 2: fields and line items, a new machine extraction version; batches split into invoices."""

from __future__ import annotations

from sqlalchemy import func, select

from extraction.api import Segment
from extraction.invoice import extract_invoice
from extraction.split import slice_pdf
from ingest.intake import Envelope
from models.db import transaction
from models.documents import Document
from models.extractions import Extraction
from models.lifecycle import move_document
from models.states import DocumentState
from models.text import PageText, Word
from payables.runtime import Runtime
from payables.stages import Next
from payables.stages.guard import load, lock

STAGE = "extract"
READY = (DocumentState.TEXT_READY,)


def run(rt: Runtime, document_id: int) -> list[Next]:
    with transaction(rt.sessions) as s:
        doc = load(s, document_id)
        if doc is None or DocumentState(doc.state) not in READY:
            return []
        key, media_type, envelope = doc.object_key, doc.media_type, dict(doc.envelope)
        pages = [PageText(number=p.number, width=p.width, height=p.height, source=p.text_source,
                          rotation=p.rotation, words=[Word.from_list(w) for w in p.words])
                 for p in doc.pages]
    assert key is not None
    data = rt.store.get(key)
    result = extract_invoice(data, media_type, pages, envelope=envelope)

    if len(result.segments) > 1:
        return _split(rt, document_id, data, result.segments)

    inv = result.invoice
    with transaction(rt.sessions) as s:
        doc = lock(s, document_id, READY)
        if doc is None:
            return []
        version = (s.execute(select(func.max(Extraction.version))
                             .where(Extraction.document_id == document_id)).scalar() or 0) + 1
        s.add(Extraction(document_id=document_id, version=version, kind="machine", engine=result.engine,
                         data=inv.to_json()))
        doc.doc_type = inv.document_type
        doc.vendor_name = inv.get("vendor_name")
        doc.invoice_number = inv.get("invoice_number")
        doc.invoice_date = inv.get("invoice_date")
        doc.currency = inv.get("currency")
        doc.total_amount = inv.decimal("total_amount")
        move_document(s, doc, DocumentState.EXTRACTED, actor="system:extract",
                      changes={"version": version, "engine": result.engine,
                               "fields": sum(1 for f in inv.fields.values() if f.value),
                               "lines": len(inv.lines)})
    return [Next("match", document_id)]


def _split(rt: Runtime, document_id: int, data: bytes, segments: list[Segment]) -> list[Next]:
    """A scanner batch: each invoice becomes its own document (its pages as a PDF); the batch is kept."""
    children: list[int] = []
    for seg in segments:
        part = slice_pdf(data, seg.page_from, seg.page_to)
        res = rt.intake.register(part, Envelope(
            source="split", filename=f"document-{document_id}-p{seg.page_from}-{seg.page_to}.pdf",
            source_ref=f"split:{document_id}:{seg.page_from}-{seg.page_to}",
            meta={"split_from": document_id, "pages": f"{seg.page_from}-{seg.page_to}"}))
        if res.document_id is not None:
            children.append(res.document_id)
            with transaction(rt.sessions) as s:
                child = s.get(Document, res.document_id)
                if child is not None and child.parent_id is None:
                    child.parent_id, child.page_from, child.page_to = document_id, seg.page_from, seg.page_to
    with transaction(rt.sessions) as s:
        doc = lock(s, document_id, READY)
        if doc is None:
            return []
        move_document(s, doc, DocumentState.SPLIT, actor="system:extract",
                      reason=f"a batch of {len(segments)} invoices", changes={"children": children})
    return [Next("read", child) for child in children]
