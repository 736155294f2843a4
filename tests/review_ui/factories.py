"""Test data for the review UI, built with the models: real invoice PDFs (reportlab), their words read
by the production page reader, a machine extraction pointing at those words, a match result in the
shape ``matching/detail.py`` writes, holds, review tasks and users."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy.orm import Session

from extraction.api import ReadLimits
from extraction.pages import read_pages
from ingest.storage import ObjectStore
from models.base import utcnow
from models.documents import Document, Page
from models.extractions import Extraction
from models.holds import HoldCode, hold_spec
from models.invoice import BBox, FieldValue, InvoiceData, LineItem, Source
from models.matching import Hold, MatchResult
from models.review import ReviewTask
from models.roles import Role
from models.states import DocumentState
from models.text import PageText
from models.users import User
from review_ui.auth import totp
from review_ui.auth.passwords import hash_password

PASSWORD = "correct horse battery"
SECRET = "test-application-secret-0123456789"


@dataclass(frozen=True)
class InvoiceSpec:
    number: str = "INV-2024-0117"
    vendor: str = "Nordlicht Medical GmbH"
    vat: str = "DE136695976"
    iban: str = "DE89370400440532013000"
    po: str = "P00042"
    date: str = "2024-11-12"
    lines: tuple[tuple[str, str, str, str], ...] = (
        ("Nitrile gloves, box of 100", "10", "12.50", "125.00"),
        ("Sterile gauze 10x10 cm", "20", "3.20", "64.00"),
    )
    tax_rate: str = "19"

    @property
    def net(self) -> Decimal:
        return sum((Decimal(a) for *_rest, a in self.lines), Decimal(0))

    @property
    def tax(self) -> Decimal:
        return (self.net * Decimal(self.tax_rate) / 100).quantize(Decimal("0.01"))

    @property
    def total(self) -> Decimal:
        return self.net + self.tax


def invoice_pdf(spec: InvoiceSpec) -> bytes:
    """A one-page invoice with a text layer, laid out like a small vendor's own."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(56, 790, spec.vendor)
    c.setFont("Helvetica", 9)
    c.drawString(56, 776, "Am Hafen 12, 20457 Hamburg")
    c.drawString(56, 764, f"VAT {spec.vat}")
    c.setFont("Helvetica-Bold", 14)
    c.drawString(56, 720, "INVOICE")
    c.setFont("Helvetica", 10)
    for i, (label, value) in enumerate((("Invoice number:", spec.number), ("Invoice date:", spec.date),
                                        ("PO number:", spec.po), ("Bill to:", "Northwind Clinics Ltd"))):
        c.drawString(56, 700 - i * 15, label)
        c.drawString(160, 700 - i * 15, value)
    y = 620
    c.setFont("Helvetica-Bold", 10)
    for x, head in ((56, "Description"), (330, "Qty"), (390, "Unit price"), (480, "Amount")):
        c.drawString(x, y, head)
    c.setFont("Helvetica", 10)
    for desc, qty, price, amount in spec.lines:
        y -= 16
        c.drawString(56, y, desc)
        c.drawRightString(350, y, qty)
        c.drawRightString(440, y, price)
        c.drawRightString(530, y, amount)
    y -= 30
    for label, value in (("Net amount", spec.net), (f"VAT {spec.tax_rate}%", spec.tax), ("Total EUR", spec.total)):
        c.drawString(390, y, label)
        c.drawRightString(530, y, f"{value:,.2f}")
        y -= 15
    c.setFont("Helvetica", 9)
    c.drawString(56, 90, "IBAN " + " ".join(_iban_groups(spec.iban)))
    c.save()
    return buf.getvalue()


def _iban_groups(iban: str) -> list[str]:
    return [iban[i:i + 4] for i in range(0, len(iban), 4)]


@lru_cache(maxsize=32)
def _pages(pdf: bytes) -> tuple[PageText, ...]:
    return tuple(read_pages(pdf, "application/pdf", ReadLimits()))


def find_word(page: PageText, text: str, after: float = -1.0) -> BBox:
    for w in page.words:
        if w.text == text and w.x0 > after:
            return BBox(w.x0, w.y0, w.x1, w.y1)
    raise LookupError(f"no word {text!r} on the page")


def machine_reading(spec: InvoiceSpec, page: PageText, *, misread_number: str | None = None) -> InvoiceData:
    """What a reader would extract, with boxes on the real words; ``misread_number`` simulates OCR
    reading the invoice number wrong (with low confidence)."""
    def fv(value: str | None, box: BBox | None, confidence: float = 0.97) -> FieldValue:
        return FieldValue(value=value, confidence=confidence, source=Source.LAYOUT.value, page=1, bbox=box)

    number_box = find_word(page, spec.number)
    inv = InvoiceData(fields={
        "vendor_name": fv(spec.vendor, find_word(page, spec.vendor.split()[0]).union(
            find_word(page, spec.vendor.split()[-1]))),
        "vendor_vat": fv(spec.vat, find_word(page, spec.vat)),
        "vendor_iban": fv(spec.iban, find_word(page, _iban_groups(spec.iban)[0]).union(
            find_word(page, _iban_groups(spec.iban)[-1]))),
        "invoice_number": fv(misread_number or spec.number, number_box, 0.41 if misread_number else 0.96),
        "invoice_date": fv(spec.date, find_word(page, spec.date)),
        "po_number": fv(spec.po, find_word(page, spec.po)),
        "currency": fv("EUR", find_word(page, "EUR")),
        "net_amount": fv(str(spec.net), find_word(page, f"{spec.net:,.2f}", after=480)),
        "tax_amount": fv(str(spec.tax), find_word(page, f"{spec.tax:,.2f}", after=480)),
        "total_amount": fv(str(spec.total), find_word(page, f"{spec.total:,.2f}", after=480)),
    }, po_numbers=[spec.po], page_count=1)
    for desc, qty, price, amount in spec.lines:
        inv.lines.append(LineItem(fields={
            "description": fv(desc, find_word(page, desc.split()[0])),
            "quantity": fv(qty, find_word(page, qty, after=300)),
            "unit_price": fv(price, find_word(page, price, after=380)),
            "amount": fv(amount, find_word(page, amount, after=470)),
        }, confidence=0.95, page=1))
    return inv


def price_detail(spec: InvoiceSpec, po_prices: list[str], received: list[str]) -> dict[str, Any]:
    """A match detail (version 1, as matching/detail.py writes it) for a two-line order."""
    lines = []
    for i, ((desc, qty, price, amount), po_price, rec) in enumerate(zip(spec.lines, po_prices, received,
                                                                       strict=True)):
        lines.append({
            "po_line_id": 100 + i, "order": spec.po, "order_id": 42, "position": i + 1, "description": desc,
            "product_id": 500 + i, "kind": "goods", "match": "three-way", "uom": "Units", "ordered": qty,
            "received": rec, "billed_in_odoo": "0", "billed_pending": "0", "billed_now": qty, "po_price": po_price,
            "tax_rate": spec.tax_rate, "receipts": [{"receipt": f"WH/IN/000{i + 7}", "quantity": rec,
                                                     "state": "done", "date": "2024-11-08"}],
            "invoice_lines": [{"line": i + 1, "score": 0.97, "by_code": False, "quantity": qty, "unit": "pcs",
                               "unit_reading": "same", "unit_note": None, "quantity_in_po_unit": qty,
                               "price_in_po_unit": price, "amount": amount}],
            "holds": ["PRICE_VARIANCE"] if price != po_price else [],
            "accepted": [],
        })
    return {"version": 1,
            "vendor": {"vendor_id": 7, "method": "vat", "candidates": [
                {"vendor_id": 7, "name": spec.vendor, "score": 100.0, "why": ["VAT id matches"]}], "evidence": {}},
            "orders": {"orders": [{"id": 42, "name": spec.po, "vendor_id": 7, "state": "purchase",
                                   "currency": "EUR", "company_id": 1, "site_id": 3}], "inferred": False,
                       "printed": []},
            "company_id": 1, "site_id": 3, "site": "HAM",
            "lines": lines,
            "invoice_lines": [{"line": i + 1, "description": d, "kind": "po", "po_line_id": 100 + i, "amount": a}
                              for i, (d, _q, _p, a) in enumerate(spec.lines)],
            "accepted_differences": [], "holds": [], "released": [], "notes": [], "credit_of": None,
            "routing": {"decision": "review", "required_role": "clerk", "queue": "exceptions", "priority": 50,
                        "due_at": None, "reasons": ["PRICE_VARIANCE"]}, "billed": []}


@lru_cache(maxsize=4)
def _hash(password: str) -> str:
    # argon2 is slow on purpose; one hash per password is enough for a test session.
    return hash_password(password)


def make_user(db: Session, username: str, role: Role, limit: str | None = None,
              *, password: str = PASSWORD) -> tuple[User, str | None]:
    """A user; managers and admins get an enrolled TOTP secret (returned in clear for the test to use)."""
    secret = totp.new_secret() if role in (Role.MANAGER, Role.ADMIN) else None
    user = User(username=username, display_name=username.capitalize(), password_hash=_hash(password),
                role=role.value, approval_limit=Decimal(limit) if limit is not None else None,
                totp_secret=totp.encrypt_secret(SECRET, secret) if secret else None, mfa_enabled=secret is not None,
                active=True, failed_logins=0, sites=[])
    db.add(user)
    db.flush()
    return user, secret


@dataclass
class HoldSpec:
    code: HoldCode
    message: str
    line_ref: str | None = None
    measured: str | None = None
    limit: str | None = None


@dataclass
class Made:
    document: Document
    holds: list[Hold] = field(default_factory=list)
    task: ReviewTask | None = None


def make_invoice(db: Session, store: ObjectStore, spec: InvoiceSpec | None = None, *,
                 holds: list[HoldSpec] | None = None, received_at: datetime | None = None,
                 misread_number: str | None = None, assignee: int | None = None, queue: str = "exceptions",
                 required_role: str = "clerk", due_in: timedelta | None = timedelta(days=2),
                 site: str | None = "HAM", state: DocumentState = DocumentState.IN_REVIEW,
                 po_prices: list[str] | None = None, detail: dict[str, Any] | None = None, vendor_id: int = 7,
                 company_id: int = 1) -> Made:
    """A document in review: stored PDF, page with words, machine extraction, match result, holds, task."""
    spec = spec or InvoiceSpec()
    pdf = invoice_pdf(spec)
    info = store.put(pdf, content_type="application/pdf")
    (page,) = _pages(pdf)
    received = received_at or utcnow() - timedelta(hours=3)
    doc = Document(sha256=info.sha256, size=len(pdf), media_type="application/pdf", object_key=info.key,
                   filename=f"{spec.number}.pdf", source="email", envelope={}, state=state.value, attempts=0,
                   page_count=1, doc_type="invoice", company_id=company_id, site=site, vendor_id=vendor_id,
                   vendor_name=spec.vendor, invoice_number=misread_number or spec.number, invoice_date=spec.date,
                   currency="EUR", total_amount=spec.total, received_at=received, updated_at=received)
    db.add(doc)
    db.flush()
    db.add(Page(document_id=doc.id, number=1, width=page.width, height=page.height, text_source=page.source,
                rotation=0, words=[w.to_list() for w in page.words]))
    inv = machine_reading(spec, page, misread_number=misread_number)
    db.add(Extraction(document_id=doc.id, version=1, kind="machine", engine="layout-test", data=inv.to_json(),
                      created_at=received))
    made = Made(doc)
    if state is DocumentState.IN_REVIEW or holds:
        prices = po_prices or [p for _d, _q, p, _a in spec.lines]
        result = MatchResult(document_id=doc.id, run=1, extraction_version=1, vendor_id=vendor_id,
                             decision="review", required_role=required_role,
                             detail=detail or price_detail(spec, prices, [q for _d, q, _p, _a in spec.lines]))
        db.add(result)
        db.flush()
        for h in holds or []:
            hold = Hold(document_id=doc.id, match_result_id=result.id, code=h.code.value, line_ref=h.line_ref,
                        measured=h.measured, limit=h.limit, message=h.message, evidence={},
                        release_role=hold_spec(h.code).release_role.value, status="open")
            db.add(hold)
            made.holds.append(hold)
    if state is DocumentState.IN_REVIEW:
        made.task = ReviewTask(document_id=doc.id, status="open", queue=queue, required_role=required_role,
                               priority=50, reason=", ".join(h.code.value for h in holds or []) or "review",
                               assignee_id=assignee, due_at=(received + due_in) if due_in else None,
                               created_at=received)
        db.add(made.task)
    db.flush()
    return made


PRICE_HOLD = HoldSpec(HoldCode.PRICE_VARIANCE, "Line 1: billed 12.50 per unit, ordered at 11.90: +5.0%, tolerance 2%.",
                      line_ref="1", measured="5.0%", limit="2%")
OVER_LIMIT_HOLD = HoldSpec(HoldCode.OVER_AUTHORITY_LIMIT,
                           "The total 12,138.00 EUR is above the clerks' limit of 5,000.00 EUR.",
                           measured="12138.00", limit="5000.00")
BANK_HOLD = HoldSpec(HoldCode.BANK_DETAILS_CHANGED,
                     "The IBAN DE89 3704 … 3000 is not among the vendor's 1 bank account in Odoo.",
                     measured="DE89370400440532013000")


def works_for(db: Session, user_id: int, *sites: str) -> None:
    """Restrict a user to these sites (none given: the whole group again)."""
    user = db.get(User, user_id)
    assert user is not None
    user.sites = list(sites)
