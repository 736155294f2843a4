"""Everything the invoice screen shows about one document, read in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import AuditEntry
from models.documents import Document
from models.extractions import Extraction
from models.holds import HoldCode, hold_spec
from models.invoice import HEADER_FIELDS, InvoiceData
from models.matching import Hold, MatchResult
from models.postings import Posting
from models.review import ReviewTask
from models.users import User
from review_ui.deps import Actor
from review_ui.services.duties import (
    APPROVAL_HOLDS,
    FRESH_TOTP_HOLDS,
    InvoiceFacts,
    approval_barriers,
    release_barriers,
)
from review_ui.services.facts import invoice_facts, latest_match, open_task, person
from review_ui.services.queue import sla_state
from review_ui.services.threeway import ThreeWay, three_way
from review_ui.services.validation import check_field

LABELS = {
    "vendor_name": "Vendor", "vendor_vat": "Vendor VAT id", "vendor_iban": "IBAN", "buyer_name": "Buyer",
    "invoice_number": "Invoice number", "invoice_date": "Invoice date", "due_date": "Due date",
    "po_number": "PO number", "currency": "Currency", "net_amount": "Net amount", "tax_amount": "Tax amount",
    "total_amount": "Total amount", "vendor_bic": "BIC", "vendor_address": "Vendor address",
    "vendor_email": "Vendor e-mail", "buyer_vat": "Buyer VAT id", "payment_terms": "Payment terms",
    "delivery_note": "Delivery note", "document_type": "Document type", "credit_note_ref": "Credited invoice",
}
# Shown even when extraction found nothing, so a clerk can fill them in.
ALWAYS_SHOWN = HEADER_FIELDS[:12]
LINE_COLUMNS = ("description", "product_code", "quantity", "unit", "unit_price", "amount", "tax_rate")
LOW_CONFIDENCE = 0.8


@dataclass(frozen=True)
class PageView:
    number: int
    width: float
    height: float
    text_source: str
    words: list[list[Any]]


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    value: str
    confidence: float
    source: str
    page: int | None
    bbox: list[float] | None
    machine_value: str | None
    problem: str

    @property
    def low(self) -> bool:
        return bool(self.value) and self.source != "human" and self.confidence < LOW_CONFIDENCE

    @property
    def corrected(self) -> bool:
        return self.source == "human"


@dataclass(frozen=True)
class LineRow:
    index: int
    cells: dict[str, FieldRow]
    confidence: float
    page: int | None
    bbox: list[float] | None


@dataclass(frozen=True)
class HoldRow:
    id: int
    code: str
    title: str
    explanation: str
    message: str
    line_ref: str | None
    measured: str | None
    limit: str | None
    release_role: str
    status: str
    released_by: str | None
    released_at: datetime | None
    release_reason: str | None
    barriers: list[str]
    needs_totp: bool
    by_approval: bool


@dataclass(frozen=True)
class VersionRow:
    version: int
    kind: str
    engine: str
    by: str | None
    at: datetime


@dataclass
class Screen:
    doc: Document
    pages: list[PageView]
    fields: list[FieldRow]
    lines: list[LineRow]
    versions: list[VersionRow]
    match: MatchResult | None
    threeway: ThreeWay
    holds: list[HoldRow]
    task: ReviewTask | None
    assignee: str | None
    sla: str | None
    posting: Posting | None
    odoo_link: str | None
    approval_barriers: list[str]
    facts: InvoiceFacts
    parent_id: int | None
    children: list[int] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        return self.doc.state == "in_review"

    @property
    def open_holds(self) -> list[HoldRow]:
        return [h for h in self.holds if h.status == "open"]


def _field_row(name: str, inv: InvoiceData, machine: InvoiceData | None) -> FieldRow:
    f = inv.fields.get(name)
    value = (f.value if f else None) or ""
    check = check_field(name, value) if value else None
    return FieldRow(name=name, label=LABELS.get(name, name.replace("_", " ").capitalize()), value=value,
                    confidence=f.confidence if f else 0.0, source=f.source if f else "",
                    page=f.page if f else None, bbox=f.bbox.to_list() if f and f.bbox else None,
                    machine_value=machine.get(name) if machine else None,
                    problem=check.message if check and not check.ok else "")


def _lines(inv: InvoiceData) -> list[LineRow]:
    rows = []
    for i, line in enumerate(inv.lines):
        cells = {}
        for name in LINE_COLUMNS:
            f = line.fields.get(name)
            value = (f.value if f else None) or ""
            check = check_field(name, value) if value else None
            cells[name] = FieldRow(name, name, value, f.confidence if f else 0.0, f.source if f else "",
                                   f.page if f else None, f.bbox.to_list() if f and f.bbox else None, None,
                                   check.message if check and not check.ok else "")
        rows.append(LineRow(i, cells, line.confidence, line.page, line.bbox.to_list() if line.bbox else None))
    return rows


def _holds(db: Session, match: MatchResult | None, actor: Actor, facts: InvoiceFacts,
           names: dict[int, str]) -> list[HoldRow]:
    if match is None:
        return []
    out = []
    for h in db.execute(select(Hold).where(Hold.match_result_id == match.id).order_by(Hold.id)).scalars():
        try:
            spec = hold_spec(h.code)
            title, explanation = spec.title, spec.explanation
        except ValueError:
            title, explanation = h.code.replace("_", " ").capitalize(), ""
        barriers = release_barriers(person(actor), h.code, h.release_role, facts, fresh_totp=True) \
            if h.status == "open" else []
        out.append(HoldRow(h.id, h.code, title, explanation, h.message, h.line_ref, h.measured, h.limit,
                           h.release_role, h.status, names.get(h.released_by or 0), h.released_at,
                           h.release_reason, barriers, h.code in FRESH_TOTP_HOLDS, h.code in APPROVAL_HOLDS))
    return out


def load_screen(db: Session, document_id: int, actor: Actor, *, now: datetime, warning: timedelta,
                odoo_url: str | None) -> Screen | None:
    doc = db.get(Document, document_id)
    if doc is None or not actor.scope.allows(doc.site):
        return None  # the guard already refused it; this keeps the screen safe when reached another way
    versions = list(db.execute(select(Extraction).where(Extraction.document_id == document_id)
                               .order_by(Extraction.version)).scalars())
    latest = versions[-1].invoice() if versions else InvoiceData()
    machine = next((v.invoice() for v in versions if v.kind == "machine"), None)
    names = dict(db.execute(select(User.id, User.username)).tuples().all())
    shown = [n for n in HEADER_FIELDS if n in ALWAYS_SHOWN or latest.get(n)]
    match = latest_match(db, document_id)
    facts = invoice_facts(db, doc)
    task = open_task(db, document_id)
    posting = db.execute(select(Posting).where(Posting.document_id == document_id)).scalar()
    link = None
    if posting is not None and posting.odoo_move_id and odoo_url:
        # The /web# form works on 17 and 18 (18 redirects it to its /odoo/ URLs) and on 19.
        link = f"{odoo_url.rstrip('/')}/web#id={posting.odoo_move_id}&model=account.move&view_type=form"
    # Links to the parts and the source only where the user could open them (a part matched to another
    # clinic's order has left this user's sites).
    children = list(db.execute(select(Document.id).where(Document.parent_id == document_id, actor.scope.documents())
                               .order_by(Document.page_from, Document.id)).scalars())
    parent = db.get(Document, doc.parent_id) if doc.parent_id else None
    return Screen(
        doc=doc,
        pages=[PageView(p.number, p.width, p.height, p.text_source, list(p.words or [])) for p in doc.pages],
        fields=[_field_row(n, latest, machine) for n in shown],
        lines=_lines(latest),
        versions=[VersionRow(v.version, v.kind, v.engine, names.get(v.created_by or 0), v.created_at)
                  for v in versions],
        match=match,
        threeway=three_way(match.detail if match else None, latest),
        holds=_holds(db, match, actor, facts, names),
        task=task,
        assignee=names.get(task.assignee_id) if task and task.assignee_id else None,
        sla=sla_state(task.due_at, now, warning) if task else None,
        posting=posting,
        odoo_link=link,
        approval_barriers=approval_barriers(person(actor), facts),
        facts=facts,
        parent_id=parent.id if parent is not None and actor.scope.allows(parent.site) else None,
        children=children,
    )


def hold_title(code: str) -> str:
    try:
        return hold_spec(HoldCode(code)).title
    except ValueError:
        return code


def recent_history(db: Session, document_id: int, limit: int = 200) -> list[AuditEntry]:
    return list(db.execute(select(AuditEntry).where(AuditEntry.document_id == document_id)
                           .order_by(AuditEntry.id.desc()).limit(limit)).scalars())
