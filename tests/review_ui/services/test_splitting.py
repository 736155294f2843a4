"""Split a PDF whose pages are several invoices; merge PDFs that are one invoice; both through intake."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select

from models.db import transaction
from models.documents import Document
from review_ui.services.errors import InvalidInput, NotFound
from review_ui.services.splitting import merge, parse_ranges, split
from tests.review_ui.conftest import World
from tests.review_ui.factories import InvoiceSpec, invoice_pdf, make_invoice, works_for
from tests.review_ui.services.test_decisions import actor


def test_page_ranges_cover_every_page_once_in_order() -> None:
    assert parse_ranges("1-2, 3,4-5", 5) == [(1, 2), (3, 3), (4, 5)]
    for bad in ("1-2", "1-2, 4-5", "2-1, 3", "1, 1-3", "0-1, 2", "a, b"):
        with pytest.raises(InvalidInput):
            parse_ranges(bad, 5 if bad != "1-2" else 2)


def _two_page_document(world: World) -> int:
    writer = PdfWriter()
    for number in ("S-1", "S-2"):
        writer.add_page(PdfReader(io.BytesIO(invoice_pdf(InvoiceSpec(number=number)))).pages[0])
    buf = io.BytesIO()
    writer.write(buf)
    with transaction(world.rt.sessions) as db:
        made = make_invoice(db, world.rt.store, InvoiceSpec(number="S-batch"))
        made.document.page_count = 2
        info = world.rt.store.put(buf.getvalue(), content_type="application/pdf")
        made.document.object_key, made.document.sha256 = info.key, info.sha256
        return made.document.id


def test_a_split_makes_one_new_document_per_range_and_closes_the_source(world: World) -> None:
    batch = _two_page_document(world)
    children = split(world.ctx, actor(world, "alice"), batch, "1, 2")
    assert len(children) == 2
    with world.db() as db:
        source = db.get(Document, batch)
        parts = db.execute(select(Document).where(Document.id.in_(children)).order_by(Document.id)).scalars().all()
    assert source is not None and source.state == "split"
    assert [(p.parent_id, p.page_from, p.page_to, p.source) for p in parts] == [(batch, 1, 1, "split"),
                                                                                 (batch, 2, 2, "split")]
    texts = [PdfReader(io.BytesIO(world.rt.store.get(p.object_key or ""))).pages[0].extract_text() for p in parts]
    assert "S-1" in texts[0] and "S-2" in texts[1]
    assert world.queued("read") == children


def test_a_merge_joins_documents_into_a_new_one(world: World) -> None:
    with transaction(world.rt.sessions) as db:
        first = make_invoice(db, world.rt.store, InvoiceSpec(number="M-1")).document.id
        second = make_invoice(db, world.rt.store, InvoiceSpec(number="M-1-p2")).document.id
    new_id = merge(world.ctx, actor(world, "alice"), first, [second])
    with world.db() as db:
        merged = db.get(Document, new_id)
        sources = db.execute(select(Document.state).where(Document.id.in_((first, second)))).scalars().all()
    assert merged is not None and merged.source == "merge" and merged.envelope["merged_from"] == [first, second]
    assert len(PdfReader(io.BytesIO(world.rt.store.get(merged.object_key or ""))).pages) == 2
    assert sources == ["merged", "merged"]


def test_a_clinics_clerk_splits_a_scan_and_can_open_the_parts(world: World) -> None:
    batch = _two_page_document(world)  # at HAM
    with transaction(world.rt.sessions) as db:
        works_for(db, world.users["alice"].id, "HAM")
    children = split(world.ctx, actor(world, "alice"), batch, "1, 2")
    with world.db() as db:
        sites = db.execute(select(Document.site).where(Document.id.in_(children))).scalars().all()
    # The parts start at the scan's site (matching replaces it with the order's), not at "unknown",
    # which would hide them from the clerk who just made them.
    assert sites == ["HAM", "HAM"]
    client = world.client("alice")
    assert client.get(f"/documents/{children[0]}").status_code == 200


def test_a_merge_cannot_reach_a_document_of_another_site(world: World) -> None:
    with transaction(world.rt.sessions) as db:
        mine = make_invoice(db, world.rt.store, InvoiceSpec(number="M-H1"), site="HAM").document.id
        also_mine = make_invoice(db, world.rt.store, InvoiceSpec(number="M-H2"), site="HAM").document.id
        berlin = make_invoice(db, world.rt.store, InvoiceSpec(number="M-B1"), site="BER").document.id
        unknown = make_invoice(db, world.rt.store, InvoiceSpec(number="M-N1"), site=None).document.id
        works_for(db, world.users["alice"].id, "HAM")
    for other in (berlin, unknown):
        # Named in the body, not the path: "does not exist", the same words as an id nobody has.
        with pytest.raises(NotFound, match=f"^document {other} does not exist$"):
            merge(world.ctx, actor(world, "alice"), mine, [other])
    with world.db() as db:
        states = db.execute(select(Document.state).where(Document.id.in_((mine, berlin, unknown)))).scalars().all()
    assert states == ["in_review"] * 3 and world.queued("read") == []
    merged = merge(world.ctx, actor(world, "alice"), mine, [also_mine])
    with world.db() as db:
        new = db.get(Document, merged)
    assert new is not None and new.site == "HAM"

