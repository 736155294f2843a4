"""Stage 1: page text. Words with boxes for every page, from the text layer or OCR."""

from __future__ import annotations

from sqlalchemy import delete

from extraction.api import ReadLimits
from extraction.pages import read_pages
from models.db import transaction
from models.documents import Page
from models.lifecycle import move_document
from models.states import DocumentState
from payables.runtime import Runtime
from payables.stages import Next
from payables.stages.guard import load, lock

STAGE = "read"
READY = (DocumentState.STORED,)


def run(rt: Runtime, document_id: int) -> list[Next]:
    with transaction(rt.sessions) as s:
        doc = load(s, document_id)
        if doc is None or DocumentState(doc.state) not in READY:
            return []
        key, media_type = doc.object_key, doc.media_type
    assert key is not None
    data = rt.store.get(key)
    st = rt.settings
    pages = read_pages(data, media_type, ReadLimits(max_pages=st.max_pages, max_pixels=st.max_pixels,
                                                    ocr_page_timeout_s=st.ocr_page_timeout_s,
                                                    ocr_languages=st.ocr_languages))
    with transaction(rt.sessions) as s:
        doc = lock(s, document_id, READY)
        if doc is None:
            return []
        # A crash after an earlier attempt's insert but before its commit leaves nothing; a committed
        # attempt moved the state on. So any rows here are from an attempt that never finished.
        s.execute(delete(Page).where(Page.document_id == document_id))
        for page in pages:
            s.add(Page(document_id=document_id, number=page.number, width=page.width, height=page.height,
                       text_source=page.source, rotation=page.rotation,
                       words=[w.to_list() for w in page.words]))
        doc.page_count = len(pages)
        ocr_pages = sum(1 for p in pages if p.source == "ocr")
        move_document(s, doc, DocumentState.TEXT_READY, actor="system:read",
                      changes={"pages": len(pages), "ocr_pages": ocr_pages})
    return [Next("extract", document_id)]
