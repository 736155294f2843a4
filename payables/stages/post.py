"""Stage 4: posting. AUTO_APPROVED / APPROVED → POSTING → POSTED, or POSTING_FAILED with Odoo's message.

The bill is built from the current extraction (header, the vendor's invoice number, dates) and the
latest match (which invoice line bills which PO line, in the PO line's unit and price; which lines are
freight or discounts), then handed to ``erp.posting.post_vendor_bill``, which makes exactly one bill
however often this stage runs. A document found in POSTING (a worker died mid-way) or in
POSTING_FAILED (a person pressed retry) resumes the same posting.

Posting policy (``[posting]`` in the policy file, ``PAYABLES_POLICY_FILE``)::

    [posting]
    post = true                      # false: leave bills in draft for review in Odoo
    request_limit_s = 150            # Odoo's limit_time_real plus a margin
    [posting.accounts]               # account codes for lines not on a PO
    default = "600000"
    charge = "600100"
"""

from __future__ import annotations

import logging
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from erp.posting import (
    Attachment,
    BillDraft,
    BillLine,
    PostingFailed,
    PostingOutcome,
    PostingPolicy,
    post_vendor_bill,
    posting_key,
)
from models.db import transaction
from models.documents import Document
from models.errors import ConfigurationError
from models.extractions import Extraction
from models.invoice import DocumentType, InvoiceData
from models.lifecycle import move_document
from models.matching import MatchResult
from models.mirror import PurchaseOrder, PurchaseOrderLine, Tax
from models.money import to_decimal
from models.states import DocumentState
from payables.runtime import Runtime
from payables.stages import Next
from payables.stages.guard import lock

log = logging.getLogger("payables.stages.post")
STAGE = "post"
ACTOR = "system:post"
READY = (DocumentState.AUTO_APPROVED, DocumentState.APPROVED, DocumentState.POSTING, DocumentState.POSTING_FAILED)
DEFAULT_ACCOUNTS = {"default": "600000"}


@dataclass
class Job:
    document_id: int
    key: str
    draft: BillDraft
    object_key: str
    filename: str
    media_type: str


def run(rt: Runtime, document_id: int) -> list[Next]:
    with transaction(rt.sessions) as s:
        # Locked: of two deliveries at once, one moves the document to POSTING and the other sees it there.
        doc = lock(s, document_id, READY)
        if doc is None:
            return []
        try:
            job = prepare(s, doc)
        except PostingFailed as exc:
            _fail(s, doc, exc.message)
            return []
        if DocumentState(doc.state) is not DocumentState.POSTING:
            move_document(s, doc, DocumentState.POSTING, actor=ACTOR,
                          changes={"posting_key": job.key, "vendor_id": job.draft.partner_id,
                                   "ref": job.draft.ref, "move_type": job.draft.move_type})
    data = rt.store.get(job.object_key)
    outcome = post_vendor_bill(rt.odoo, rt.sessions, document_id=document_id, key=job.key, draft=job.draft,
                               attachment=Attachment(job.filename, job.media_type, data),
                               policy=posting_policy(rt))
    with transaction(rt.sessions) as s:
        doc = lock(s, document_id, (DocumentState.POSTING,))
        if doc is None:
            return []
        if outcome.status == "failed":
            _fail(s, doc, outcome.message or "Odoo refused the bill")
        else:
            move_document(s, doc, DocumentState.POSTED, actor=ACTOR, changes=_changes(outcome))
    return []


def _changes(outcome: PostingOutcome) -> dict[str, Any]:
    return {"odoo_move_id": outcome.move_id, "odoo_move_name": outcome.move_name, "odoo_state": outcome.status,
            "odoo_attachment_id": outcome.attachment_id, "adopted_existing_bill": outcome.adopted,
            "steps": outcome.steps}


def _fail(s: Session, doc: Document, message: str) -> None:
    if DocumentState(doc.state) is not DocumentState.POSTING:
        move_document(s, doc, DocumentState.POSTING, actor=ACTOR, reason="posting")
    move_document(s, doc, DocumentState.POSTING_FAILED, actor=ACTOR, reason=message[:2000])
    doc.failed_stage, doc.failure_code, doc.failure_reason = STAGE, "posting_failed", message[:2000]


# -- the posting policy, once per process ----------------------------------------------

def posting_policy(rt: Runtime) -> PostingPolicy:
    policy = rt.extras.get("posting_policy")
    if policy is None:
        policy = load_posting_policy(rt.settings.policy_file)
        rt.extras["posting_policy"] = policy
    assert isinstance(policy, PostingPolicy)
    return policy


def load_posting_policy(path: Path | None) -> PostingPolicy:
    """The ``[posting]`` table of the policy file; defaults when there is none."""
    data: Mapping[str, Any] = {}
    if path is not None:
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"cannot read the policy file {path}: {getattr(exc, 'strerror', None) or exc}"
                                     ) from exc
        try:
            parsed = yaml.safe_load(raw) if str(path).endswith((".yaml", ".yml")) else tomllib.loads(raw)
        except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
            raise ConfigurationError(f"the policy file {path} is not valid: {exc}") from exc
        if parsed is not None and not isinstance(parsed, Mapping):
            raise ConfigurationError(f"the policy file {path} must hold tables of settings, not a "
                                     f"{type(parsed).__name__}")
        data = (parsed or {}).get("posting") or {}
        if not isinstance(data, Mapping):
            raise ConfigurationError(f"posting in {path} must be a table of settings (post, accounts, "
                                     "request_limit_s)")
    unknown = sorted(set(data) - {"post", "accounts", "request_limit_s"})
    if unknown:
        raise ConfigurationError(f"posting.{unknown[0]} in {path}: unknown setting (post, accounts, request_limit_s)")
    accounts = data.get("accounts", DEFAULT_ACCOUNTS)
    if not isinstance(accounts, Mapping) or not all(isinstance(v, str | int) for v in accounts.values()):
        raise ConfigurationError(f"posting.accounts in {path} must map line kinds to account codes")
    post = data.get("post", True)
    limit = data.get("request_limit_s", 150)
    if not isinstance(post, bool) or not isinstance(limit, int | float) or limit <= 0:
        raise ConfigurationError(f"posting in {path}: post must be true or false, request_limit_s a positive number")
    return PostingPolicy(post=post, accounts={str(k): str(v) for k, v in accounts.items()},
                         request_limit_s=float(limit))


# -- the bill, from the document, its extraction and its match -------------------------------------

def prepare(s: Session, doc: Document) -> Job:
    ext = s.execute(select(Extraction).where(Extraction.document_id == doc.id)
                    .order_by(Extraction.version.desc()).limit(1)).scalar_one_or_none()
    match = s.execute(select(MatchResult).where(MatchResult.document_id == doc.id)
                      .order_by(MatchResult.run.desc()).limit(1)).scalar_one_or_none()
    if ext is None or match is None:
        raise PostingFailed(f"document {doc.id} has no {'extraction' if ext is None else 'match'} to post from")
    if doc.object_key is None:
        raise PostingFailed(f"document {doc.id} has no stored original to attach")
    draft = build_bill(s, doc, ext.invoice(), dict(match.detail or {}), match.vendor_id)
    return Job(doc.id, posting_key(doc.id, doc.sha256), draft, doc.object_key,
               doc.filename or f"invoice-{doc.id}.pdf", doc.media_type)


def build_bill(s: Session, doc: Document, inv: InvoiceData, detail: Mapping[str, Any],
               matched_vendor: int | None) -> BillDraft:
    vendor = doc.vendor_id or matched_vendor
    if not vendor:
        raise PostingFailed("no vendor was resolved for this invoice; it cannot be posted")
    ref = (doc.invoice_number or inv.get("invoice_number") or "").strip()
    if not ref:
        raise PostingFailed("the invoice number is missing; it becomes the bill's reference in Odoo")
    invoice_date = _date(doc.invoice_date or inv.get("invoice_date"))
    if invoice_date is None:
        raise PostingFailed("the invoice date is missing; Odoo needs it to post a bill")
    credit = (doc.doc_type or inv.document_type) == DocumentType.CREDIT_NOTE.value
    po_lines = _po_lines(s, detail)
    orders = _orders(s, {ln.order_id for ln in po_lines.values()})
    company = detail.get("company_id") or doc.company_id or next(
        (o.company_id for o in orders.values() if o.company_id), None)
    if not company:
        raise PostingFailed("the invoice's company is not known (no PO names one); it cannot be posted")
    currency = doc.currency or inv.get("currency") or next((o.currency for o in orders.values()), None)
    if not currency:
        raise PostingFailed("the invoice's currency is not known")
    lines = _po_bill_lines(detail, po_lines) + _other_bill_lines(s, inv, detail, int(company), po_lines)
    if not lines:
        raise PostingFailed("nothing to bill: no invoice line is matched to a PO line or booked as a charge")
    if credit:
        lines = [BillLine(ln.name, abs(ln.quantity), abs(ln.price_unit) * (-1 if ln.kind == "discount" else 1),
                          ln.purchase_line_id, ln.product_id, ln.uom_id, ln.tax_ids, ln.kind) for ln in lines]
    origin = ", ".join(sorted({o.name for o in orders.values()})) or None
    return BillDraft(move_type="in_refund" if credit else "in_invoice", partner_id=int(vendor), ref=ref[:120],
                     invoice_date=invoice_date, company_id=int(company), currency=str(currency)[:3],
                     lines=tuple(lines), invoice_date_due=_date(inv.get("due_date")), invoice_origin=origin)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _po_lines(s: Session, detail: Mapping[str, Any]) -> dict[int, PurchaseOrderLine]:
    ids = [int(e["po_line_id"]) for e in detail.get("lines") or [] if e.get("po_line_id")]
    if not ids:
        return {}
    rows = s.execute(select(PurchaseOrderLine).where(PurchaseOrderLine.id.in_(ids))).scalars()
    return {r.id: r for r in rows}


def _orders(s: Session, ids: set[int]) -> dict[int, PurchaseOrder]:
    if not ids:
        return {}
    return {o.id: o for o in s.execute(select(PurchaseOrder).where(PurchaseOrder.id.in_(sorted(ids)))).scalars()}


def _po_bill_lines(detail: Mapping[str, Any], po_lines: Mapping[int, PurchaseOrderLine]) -> list[BillLine]:
    """One bill line per invoice line billing a PO line, in the PO line's unit and at the invoice's price
    (converted to that unit): Odoo then compares against the order as the match did."""
    descriptions = {int(x["line"]): str(x.get("description") or "") for x in detail.get("invoice_lines") or []}
    out: list[BillLine] = []
    for entry in detail.get("lines") or []:
        line_id = entry.get("po_line_id")
        po = po_lines.get(int(line_id)) if line_id else None
        if po is None:
            raise PostingFailed(f"PO line {line_id} of the match is no longer in the mirror; match the invoice again")
        for pairing in entry.get("invoice_lines") or []:
            qty = _decimal(pairing.get("quantity_in_po_unit"))
            price = _decimal(pairing.get("price_in_po_unit"))
            if qty is None:
                raise PostingFailed(f"invoice line {pairing.get('line')} has no quantity in the PO's unit")
            if price is None:
                amount = _decimal(pairing.get("amount"))
                price = (amount / qty) if amount is not None and qty else po.price_unit
            name = descriptions.get(int(pairing.get("line") or 0)) or po.name
            out.append(BillLine(name=name, quantity=qty, price_unit=price, purchase_line_id=po.id,
                                product_id=po.product_id, uom_id=po.uom_id,
                                tax_ids=tuple(int(t) for t in po.tax_ids or []), kind="goods"))
    return out


def _other_bill_lines(s: Session, inv: InvoiceData, detail: Mapping[str, Any], company: int,
                      po_lines: Mapping[int, PurchaseOrderLine]) -> list[BillLine]:
    """Freight, fees and discounts not on the order (and lines a person accepted without a PO line),
    booked on the policy's accounts with the tax of the invoice line's rate."""
    out: list[BillLine] = []
    fallback = Counter(t for po in po_lines.values() for t in po.tax_ids or [])
    for entry in detail.get("invoice_lines") or []:
        kind = str(entry.get("kind") or "")
        if kind == "po" or entry.get("po_line_id"):
            continue
        amount = _decimal(entry.get("amount"))
        if amount is None or amount == 0:
            continue
        if kind == "discount" and amount > 0:
            amount = -amount
        index = int(entry.get("line") or 0) - 1
        rate = inv.lines[index].decimal("tax_rate") if 0 <= index < len(inv.lines) else None
        tax = _tax_for(s, company, rate) if rate is not None else None
        if tax is None and fallback:
            tax = fallback.most_common(1)[0][0]
        out.append(BillLine(name=str(entry.get("description") or kind or "charge"), quantity=Decimal(1),
                            price_unit=amount, tax_ids=(tax,) if tax is not None else None,
                            kind=kind if kind in ("charge", "discount") else "other"))
    return out


def _tax_for(s: Session, company: int, rate: Decimal) -> int | None:
    rows = s.execute(select(Tax).where(Tax.company_id == company, Tax.amount_type == "percent")
                     .order_by(Tax.id)).scalars()
    return next((t.id for t in rows if t.amount == rate), None)


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return to_decimal(value)
    except (TypeError, ValueError):
        return None
