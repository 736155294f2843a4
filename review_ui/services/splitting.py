"""Split a document whose pages are several invoices; merge documents whose pages are one invoice.

The parts are new documents through intake (so they are stored, deduplicated and read like any other);
the source keeps its bytes and history and ends as ``split`` or ``merged`` naming the new documents.
The new documents start at the source's site (a merge: the sources' one site, if they share one), so a
clinic's clerk who splits a scan can open the parts; matching replaces it with the site it finds.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from ingest.intake import Envelope
from models.db import transaction
from models.documents import Document
from models.errors import NotAuthorised
from models.lifecycle import move_document
from models.roles import Role
from models.states import DocumentState
from review_ui.context import AppContext
from review_ui.deps import Actor
from review_ui.services.errors import InvalidInput
from review_ui.services.facts import lock_document, lock_visible, open_task
from review_ui.services.preconditions import close_tasks, require_actor, require_in_review

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")
MAX_MERGE = 10


def parse_ranges(text: str, page_count: int) -> list[tuple[int, int]]:
    """``"1-2, 3, 4-6"`` → [(1, 2), (3, 3), (4, 6)]; every page once, in order, at least two parts."""
    parts: list[tuple[int, int]] = []
    for chunk in text.split(","):
        m = _RANGE.match(chunk)
        if not m:
            raise InvalidInput(f"{chunk.strip()!r} is not a page or a range like 3-5", {"ranges": "format"})
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if not 1 <= a <= b <= page_count:
            raise InvalidInput(f"pages {a}-{b} are outside 1-{page_count}", {"ranges": "out of range"})
        parts.append((a, b))
    if len(parts) < 2:
        raise InvalidInput("a split needs at least two parts", {"ranges": "one part"})
    covered = [p for a, b in parts for p in range(a, b + 1)]
    if covered != list(range(1, page_count + 1)):
        raise InvalidInput(f"the parts must cover pages 1-{page_count} once each, in order", {"ranges": "gaps"})
    return parts


def _pdf(data: bytes) -> PdfReader:
    try:
        return PdfReader(io.BytesIO(data))
    except (PdfReadError, ValueError) as exc:
        raise InvalidInput(f"the document cannot be opened as a PDF: {exc}") from exc


def _pages_pdf(reader: PdfReader, first: int, last: int) -> bytes:
    writer = PdfWriter()
    for index in range(first - 1, last):
        writer.add_page(reader.pages[index])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def split(ctx: AppContext, actor: Actor, document_id: int, ranges: str) -> list[int]:
    require_actor(actor)
    with transaction(ctx.sessions) as db:
        doc = lock_document(db, document_id)
        require_in_review(doc)
        if doc.media_type != "application/pdf" or doc.object_key is None:
            raise InvalidInput("only a PDF can be split into parts")
        key, name, site = doc.object_key, doc.filename or f"document-{document_id}.pdf", doc.site
    reader = _pdf(ctx.store.get(key))
    parts = parse_ranges(ranges, len(reader.pages))
    children: list[int] = []
    fresh: set[int] = set()  # stored now, not a duplicate of a document that has its own site
    for a, b in parts:
        result = ctx.submit(_pages_pdf(reader, a, b), Envelope(
            source="split", filename=f"{name.rsplit('.', 1)[0]}-p{a}-{b}.pdf",
            source_ref=f"split:{document_id}:{a}-{b}",
            meta={"split_from": document_id, "pages": f"{a}-{b}", "split_by": actor.user_id}))
        child = getattr(result, "document_id", None)
        if isinstance(child, int):
            children.append(child)
            if getattr(result, "outcome", None) == "stored":
                fresh.add(child)
    with transaction(ctx.sessions) as db:
        for child_id, (a, b) in zip(children, parts, strict=False):
            child = db.get(Document, child_id)
            if child is not None and child.parent_id is None and child_id != document_id:
                child.parent_id, child.page_from, child.page_to = document_id, a, b
                if child.site is None and child_id in fresh:
                    child.site = site
        doc = lock_document(db, document_id)
        require_in_review(doc)
        close_tasks(db, document_id, ctx.clock())
        move_document(db, doc, DocumentState.SPLIT, actor=actor.name, user_id=actor.user_id,
                      reason=f"split into {len(parts)} documents by hand",
                      changes={"children": children, "ranges": [f"{a}-{b}" for a, b in parts]})
    return children


def merge(ctx: AppContext, actor: Actor, document_id: int, others: list[int]) -> int:
    """Join ``document_id`` and ``others`` (in that order) into one new document; returns its id."""
    require_actor(actor)
    ids = [document_id, *[o for o in dict.fromkeys(others) if o != document_id]]
    if len(ids) < 2 or len(ids) > MAX_MERGE:
        raise InvalidInput(f"merge joins 2 to {MAX_MERGE} documents", {"with": "count"})
    keys: list[str] = []
    sites: set[str | None] = set()
    with transaction(ctx.sessions) as db:
        for ident in ids:
            # The others come from the request body, not the path the guard checked.
            doc = lock_visible(db, ident, actor)
            require_in_review(doc)
            task = open_task(db, ident)
            if actor.role is Role.CLERK and task is not None and task.assignee_id not in (None, actor.user_id):
                raise NotAuthorised(f"document {ident} is assigned to someone else")
            if doc.media_type != "application/pdf" or doc.object_key is None:
                raise InvalidInput(f"document {ident} is not a PDF; only PDFs can be merged")
            keys.append(doc.object_key)
            sites.add(doc.site)
    writer = PdfWriter()
    for key in keys:
        for page in _pdf(ctx.store.get(key)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    result = ctx.submit(out.getvalue(), Envelope(
        source="merge", filename=f"merged-{'-'.join(map(str, ids))}.pdf",
        source_ref=f"merge:{','.join(map(str, ids))}", meta={"merged_from": ids, "merged_by": actor.user_id}))
    new_id = getattr(result, "document_id", None)
    if not isinstance(new_id, int):
        raise InvalidInput(f"the merged document was not stored: {getattr(result, 'reason', 'unknown reason')}")
    with transaction(ctx.sessions) as db:
        merged = db.get(Document, new_id)
        if (merged is not None and merged.site is None and len(sites) == 1
                and getattr(result, "outcome", None) == "stored"):
            merged.site = next(iter(sites))
        for ident in ids:
            doc = lock_document(db, ident)
            require_in_review(doc)
            close_tasks(db, ident, ctx.clock())
            move_document(db, doc, DocumentState.MERGED, actor=actor.name, user_id=actor.user_id,
                          reason=f"merged into document {new_id}", changes={"merged_into": new_id, "with": ids})
    return new_id
