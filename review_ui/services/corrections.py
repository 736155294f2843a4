"""Corrections: a clerk's edits become a new extraction version of kind ``correction``; the machine's
reading and every earlier version stay as they were."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from models.audit import append_audit
from models.db import transaction
from models.documents import Document
from models.extractions import Extraction
from models.invoice import HEADER_FIELDS, LINE_FIELDS, BBox, FieldValue, InvoiceData, LineItem, Source
from models.money import to_decimal
from review_ui.context import AppContext
from review_ui.deps import Actor
from review_ui.services.errors import InvalidInput
from review_ui.services.facts import lock_document, open_task
from review_ui.services.preconditions import require_actor, require_in_review, take_if_unassigned
from review_ui.services.validation import check_field

MAX_LINES = 500


@dataclass(frozen=True)
class FieldEdit:
    value: str
    # Where the clerk found it, when they clicked a word on the page.
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class CorrectionInput:
    header: dict[str, FieldEdit] = field(default_factory=dict)
    # None: leave the lines alone; a list: the lines as they should now be (in order).
    lines: list[dict[str, FieldEdit]] | None = None
    note: str | None = None


def validate(edit: CorrectionInput, current: InvoiceData) -> dict[str, str]:
    """Problems by form key (``invoice_date``, ``line-2-quantity``); empty when all is well. Only values
    the clerk changed are judged: a machine value left as it was (say a vendor's VAT id that fails its
    checksum as printed) stays, flagged on the screen, and does not block saving another field."""
    problems: dict[str, str] = {}
    for name, fe in edit.header.items():
        if name not in HEADER_FIELDS:
            problems[name] = "not a field of an invoice"
            continue
        check = check_field(name, fe.value)
        if not check.ok and fe.value.strip() != (current.get(name) or ""):
            problems[name] = check.message
    for i, line in enumerate(edit.lines or []):
        old = current.lines[i] if i < len(current.lines) else None
        for name, fe in line.items():
            key = f"line-{i}-{name}"
            if name not in LINE_FIELDS:
                problems[key] = "not a field of an invoice line"
                continue
            check = check_field(name, fe.value)
            if not check.ok and fe.value.strip() != ((old.get(name) if old else None) or ""):
                problems[key] = check.message
    if edit.lines is not None and len(edit.lines) > MAX_LINES:
        problems["lines"] = f"at most {MAX_LINES} lines"
    return problems


def _apply(old: FieldValue | None, fe: FieldEdit, name: str) -> FieldValue | None:
    """The field after the edit, or None when the edit changes nothing."""
    value = check_field(name, fe.value).value or None
    bbox = BBox.from_list(fe.bbox) if fe.bbox else None
    if old is not None and old.value == value and bbox is None:
        return None
    if old is None and value is None:
        return None
    # A value typed over a misread keeps the machine's box: the place on the page was right.
    return FieldValue(value=value, confidence=1.0, source=Source.HUMAN.value,
                      page=fe.page if bbox else (old.page if old else None),
                      bbox=bbox or (old.bbox if old else None))


def _apply_lines(inv: InvoiceData, lines: list[dict[str, FieldEdit]], changes: dict[str, object]) -> None:
    new_lines: list[LineItem] = []
    for i, edits in enumerate(lines):
        old = inv.lines[i] if i < len(inv.lines) else LineItem()
        fields = dict(old.fields)
        for name, fe in edits.items():
            new = _apply(old.fields.get(name), fe, name)
            if new is not None:
                changes[f"lines[{i}].{name}"] = {"from": old.get(name), "to": new.value}
                fields[name] = new
        if not any(f.value for f in fields.values()):
            if i < len(inv.lines):
                changes[f"lines[{i}]"] = {"from": old.get("description"), "to": None}
            continue
        new_lines.append(LineItem(fields=fields, confidence=1.0 if fields != old.fields else old.confidence,
                                  page=old.page, bbox=old.bbox))
    for i in range(len(lines), len(inv.lines)):
        changes[f"lines[{i}]"] = {"from": inv.lines[i].get("description"), "to": None}
    inv.lines = new_lines


def save_correction(ctx: AppContext, actor: Actor, document_id: int, edit: CorrectionInput) -> int:
    """Store the corrected invoice as a new version; returns the version number."""
    require_actor(actor)
    with transaction(ctx.sessions) as db:
        doc = lock_document(db, document_id)
        require_in_review(doc)
        latest = db.execute(select(Extraction).where(Extraction.document_id == document_id)
                            .order_by(Extraction.version.desc()).limit(1)).scalar()
        inv = latest.invoice() if latest else InvoiceData()
        problems = validate(edit, inv)
        if problems:
            raise InvalidInput("Some fields need attention: " + ", ".join(f"{k} ({v})" for k, v in problems.items()),
                               problems)
        changes: dict[str, object] = {}
        for name, fe in edit.header.items():
            new = _apply(inv.fields.get(name), fe, name)
            if new is not None:
                changes[name] = {"from": inv.get(name), "to": new.value}
                inv.fields[name] = new
        if edit.lines is not None:
            _apply_lines(inv, edit.lines, changes)
        if not changes:
            raise InvalidInput("Nothing was changed.")
        version = (db.execute(select(func.max(Extraction.version))
                              .where(Extraction.document_id == document_id)).scalar() or 0) + 1
        db.add(Extraction(document_id=document_id, version=version, kind="correction",
                          engine=f"user:{actor.username}", created_by=actor.user_id, data=inv.to_json()))
        _denormalise(doc, inv)
        take_if_unassigned(open_task(db, document_id), actor)
        append_audit(db, actor=actor.name, user_id=actor.user_id, document_id=document_id, action="correction",
                     reason=(edit.note or "").strip()[:2000] or None,
                     changes={"version": version, "based_on": latest.version if latest else None,
                              "fields": changes})
    return version


def _denormalise(doc: Document, inv: InvoiceData) -> None:
    """The queue filters and sorts on these columns; keep them in step with the current version."""
    doc.vendor_name = inv.get("vendor_name")
    doc.invoice_number = inv.get("invoice_number")
    doc.invoice_date = inv.get("invoice_date")
    doc.currency = inv.get("currency")
    total = inv.get("total_amount")
    doc.total_amount = to_decimal(total) if total else None
    doc.doc_type = inv.document_type
