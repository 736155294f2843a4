"""A correction is a new extraction version of kind ``correction``; the machine's reading stays."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from models.audit import AuditEntry
from models.db import transaction
from models.documents import Document
from models.extractions import Extraction
from review_ui.services.corrections import CorrectionInput, FieldEdit, save_correction
from review_ui.services.errors import InvalidInput
from tests.review_ui.conftest import World
from tests.review_ui.factories import make_invoice
from tests.review_ui.services.test_decisions import actor


def _doc(world: World, **kw: object) -> int:
    with transaction(world.rt.sessions) as db:
        return make_invoice(db, world.rt.store, **kw).document.id  # type: ignore[arg-type]


def test_a_word_clicked_on_the_page_becomes_the_value_with_its_box(world: World) -> None:
    doc_id = _doc(world, misread_number="INV-2O24-0117")
    box = (160.0, 130.5, 232.4, 141.5)
    version = save_correction(world.ctx, actor(world, "alice"), doc_id, CorrectionInput(
        header={"invoice_number": FieldEdit("INV-2024-0117", page=1, bbox=box)}, note="misread O for 0"))
    assert version == 2
    with world.db() as db:
        versions = db.execute(select(Extraction).where(Extraction.document_id == doc_id)
                              .order_by(Extraction.version)).scalars().all()
        doc = db.get(Document, doc_id)
        entry = db.execute(select(AuditEntry).where(AuditEntry.action == "correction")).scalar_one()
    machine, corrected = versions
    assert machine.kind == "machine" and machine.invoice().get("invoice_number") == "INV-2O24-0117"
    assert corrected.kind == "correction" and corrected.created_by == world.users["alice"].id
    field = corrected.invoice().fields["invoice_number"]
    assert (field.value, field.source, field.confidence, field.page) == ("INV-2024-0117", "human", 1.0, 1)
    assert field.bbox is not None and field.bbox.to_list() == [160.0, 130.5, 232.4, 141.5]
    assert doc is not None and doc.invoice_number == "INV-2024-0117"
    assert entry.changes["fields"] == {"invoice_number": {"from": "INV-2O24-0117", "to": "INV-2024-0117"}}
    assert entry.changes["based_on"] == 1 and entry.reason == "misread O for 0"


def test_a_typed_value_keeps_the_machines_box_and_unchanged_fields_are_not_recorded(world: World) -> None:
    doc_id = _doc(world)
    save_correction(world.ctx, actor(world, "alice"), doc_id, CorrectionInput(header={
        "total_amount": FieldEdit("1 234,50"), "vendor_name": FieldEdit("Nordlicht Medical GmbH")}))
    with world.db() as db:
        latest = db.execute(select(Extraction).where(Extraction.document_id == doc_id)
                            .order_by(Extraction.version.desc())).scalars().first()
        entry = db.execute(select(AuditEntry).where(AuditEntry.action == "correction")).scalar_one()
        doc = db.get(Document, doc_id)
    assert latest is not None
    total = latest.invoice().fields["total_amount"]
    assert total.value == "1234.50" and total.bbox is not None  # the machine's box: the place was right
    assert list(entry.changes["fields"]) == ["total_amount"]
    assert doc is not None and doc.total_amount == Decimal("1234.50")


def test_checksums_dates_and_amounts_are_checked_before_anything_is_saved(world: World) -> None:
    doc_id = _doc(world)
    with pytest.raises(InvalidInput) as refused:
        save_correction(world.ctx, actor(world, "alice"), doc_id, CorrectionInput(header={
            "vendor_iban": FieldEdit("DE89 3704 0044 0532 0130 01"), "invoice_date": FieldEdit("31.02.2024"),
            "vendor_vat": FieldEdit("DE136695977"), "net_amount": FieldEdit("twelve")}))
    assert set(refused.value.fields) == {"vendor_iban", "invoice_date", "vendor_vat", "net_amount"}
    assert "IBAN fails its checksum" in refused.value.fields["vendor_iban"]
    with world.db() as db:
        assert db.execute(select(Extraction).where(Extraction.document_id == doc_id)).scalars().all()[-1].version == 1


def test_lines_are_edited_added_and_deleted(world: World) -> None:
    doc_id = _doc(world)
    save_correction(world.ctx, actor(world, "alice"), doc_id, CorrectionInput(lines=[
        {"quantity": FieldEdit("12")},
        {"description": FieldEdit(""), "quantity": FieldEdit(""), "unit_price": FieldEdit(""),
         "amount": FieldEdit("")},
        {"description": FieldEdit("Freight"), "amount": FieldEdit("15.00")},
    ]))
    with world.db() as db:
        latest = db.execute(select(Extraction).where(Extraction.document_id == doc_id)
                            .order_by(Extraction.version.desc())).scalars().first()
        entry = db.execute(select(AuditEntry).where(AuditEntry.action == "correction")).scalar_one()
    assert latest is not None
    lines = latest.invoice().lines
    assert [ln.get("description") for ln in lines] == ["Nitrile gloves, box of 100", "Freight"]
    assert lines[0].get("quantity") == "12" and lines[0].get("unit_price") == "12.50"
    assert entry.changes["fields"]["lines[0].quantity"] == {"from": "10", "to": "12"}
    assert entry.changes["fields"]["lines[1]"] == {"from": "Sterile gauze 10x10 cm", "to": None}


def test_nothing_changed_is_not_a_correction(world: World) -> None:
    doc_id = _doc(world)
    with pytest.raises(InvalidInput, match="Nothing was changed"):
        save_correction(world.ctx, actor(world, "alice"), doc_id,
                        CorrectionInput(header={"invoice_number": FieldEdit("INV-2024-0117")}))


def test_auditors_cannot_correct(world: World) -> None:
    from models.errors import NotAuthorised

    doc_id = _doc(world)
    with pytest.raises(NotAuthorised):
        save_correction(world.ctx, actor(world, "otto"), doc_id,
                        CorrectionInput(header={"invoice_number": FieldEdit("X-1")}))
