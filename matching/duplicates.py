"""Has this invoice been seen before? Exact, relaxed and fuzzy duplicate checks.

- Exact: the same vendor and invoice number (normalised: case, spaces, ``-./`` ignored), in any state,
  among our documents and the bills already in Odoo.
- Relaxed: the same vendor, total and currency, invoice dates at most N days apart.
- Fuzzy: the same number written differently (prefix, padding, OCR look-alikes, two characters
  swapped) with the same total, and the same total and number from another vendor that shares a bank
  account with this one (one business under
  two vendor records, the classic way a duplicate payment slips through).

A resubmitted identical file never gets here (intake recognises the bytes). Credit notes are compared
with credit notes, invoices with invoices. Only earlier documents count, and later ones that already
went through, so of two copies processed at once exactly one is held.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from matching.findings import Finding, amt
from matching.mirror_view import BillRecord, PriorDocument
from matching.po_numbers import tolerant_key
from matching.policy import Policy
from models.holds import HoldCode
from models.identifiers import normalise_ref

THROUGH = frozenset({"auto_approved", "approved", "posting", "posted", "posting_failed"})
CENT = Decimal("0.01")


@dataclass(frozen=True)
class InvoiceKey:
    document_id: int | None
    vendor_id: int
    number: str | None
    invoice_date: date | None
    total: Decimal | None
    currency: str | None
    credit_note: bool
    # Earlier bills this invoice is known not to repeat: the orders it bills count them as billed
    # already (Odoo's bills by their origin, our documents by the lines they bill) and it still fits
    # within what was received and not yet billed.
    accounted_orders: frozenset[str] = frozenset()
    accounted_documents: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Earlier:
    kind: str  # document | odoo_bill
    id: int
    vendor_id: int | None
    number: str | None
    invoice_date: date | None
    total: Decimal | None
    currency: str | None
    state: str
    credit_note: bool
    origin: str | None = None
    company_id: int | None = None

    def describe(self) -> str:
        what = f"document {self.id}" if self.kind == "document" else f"Odoo bill {self.id}"
        return f"{what} ({self.number or 'no number'}, {self.invoice_date or 'no date'}, " \
               f"{amt(self.total)} {self.currency or ''}, {self.state})".replace(" )", ")")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "vendor_id": self.vendor_id, "number": self.number,
                "invoice_date": self.invoice_date.isoformat() if self.invoice_date else None,
                "total": str(self.total) if self.total is not None else None, "currency": self.currency,
                "state": self.state}


def earlier_from(prior: Sequence[PriorDocument], bills: Sequence[BillRecord], current_id: int | None,
                 own_bills: frozenset[int] = frozenset()) -> list[Earlier]:
    """Documents received before this one (or let through after it), and Odoo bills other than the one
    this document's own posting created."""
    out = [Earlier("document", d.document_id, d.vendor_id, d.invoice_number, d.invoice_date, d.total, d.currency,
                   d.state, d.doc_type == "credit_note", company_id=d.company_id)
           for d in prior
           if d.document_id != current_id and d.state not in ("refused", "split")
           and (current_id is None or d.document_id < current_id or d.state in THROUGH)]
    out += [Earlier("odoo_bill", b.id, b.vendor_id, b.ref, b.invoice_date, b.amount_total, b.currency, b.state,
                    b.move_type == "in_refund", b.invoice_origin, b.company_id)
            for b in bills if b.id not in own_bills]
    return out


def find_duplicates(key: InvoiceKey, earlier: Sequence[Earlier], sharing_vendors: frozenset[int],
                    policy: Policy) -> list[Finding]:
    rules = policy.duplicates
    number = normalise_ref(key.number)
    same_type = [e for e in earlier if e.credit_note == key.credit_note]
    exact = [e for e in same_type if e.vendor_id == key.vendor_id and number and normalise_ref(e.number) == number]
    if exact:
        return [_finding("same vendor and invoice number", exact, key)]
    own = [e for e in same_type if e.vendor_id == key.vendor_id and not _accounted(e, key)]
    relaxed = [e for e in own if _same_money(e, key) and _days_apart(e.invoice_date, key.invoice_date,
                                                                     rules.relaxed_days)]
    if relaxed:
        return [_finding(f"same vendor and total, dated within {rules.relaxed_days} days", relaxed, key)]
    if number:
        fuzzy = [e for e in own if _same_money(e, key) and e.number and _similar(e.number, number)
                 and _days_apart(e.invoice_date, key.invoice_date, rules.fuzzy_days)]
        if fuzzy:
            return [_finding("same vendor and total, a near-identical invoice number", fuzzy, key)]
        shared = [e for e in same_type if e.vendor_id in sharing_vendors and _same_money(e, key)
                  and (not e.number or _similar(e.number, number))
                  and _days_apart(e.invoice_date, key.invoice_date, rules.fuzzy_days)]
        if shared:
            return [_finding("the same invoice from another vendor record sharing this bank account", shared, key)]
    return []


def _accounted(e: Earlier, key: InvoiceKey) -> bool:
    """An earlier bill of the same order that the order's billed quantities already include: this
    invoice, fitting in what remains, bills other goods, however alike its total and number."""
    if e.kind == "document":
        return e.id in key.accounted_documents
    origins = {o.strip() for o in (e.origin or "").replace(";", ",").split(",") if o.strip()}
    return bool(origins & key.accounted_orders)


def _same_money(e: Earlier, key: InvoiceKey) -> bool:
    if e.total is None or key.total is None:
        return False
    same_currency = not e.currency or not key.currency or e.currency.upper() == key.currency.upper()
    return same_currency and abs(abs(e.total) - abs(key.total)) < CENT


def _days_apart(a: date | None, b: date | None, days: int) -> bool:
    return a is not None and b is not None and abs((a - b).days) <= days


def _similar(a: str, b: str) -> bool:
    """The same number written or read differently: the same digits under another prefix or padding,
    OCR look-alikes, or two neighbouring characters swapped. Not the next number of a sequence
    ("INV-1001" / "INV-1002" differ by one character too, and are two invoices)."""
    x, y = normalise_ref(a), normalise_ref(b)
    if not x or not y:
        return False
    if tolerant_key(x) and tolerant_key(x) == tolerant_key(y):
        return True
    if len(x) == len(y):
        diff = [i for i in range(len(x)) if x[i] != y[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]
    return False


def _finding(how: str, matches: Sequence[Earlier], key: InvoiceKey) -> Finding:
    first = min(matches, key=lambda e: (e.kind != "document", e.id))
    others = f" (and {len(matches) - 1} more)" if len(matches) > 1 else ""
    return Finding(HoldCode.DUPLICATE_SUSPECTED,
                   f"Possible duplicate ({how}) of {first.describe()}{others}.",
                   measured=key.number, limit=first.number,
                   evidence={"how": how, "earlier": [e.to_json() for e in matches[:10]],
                             "earlier_document_id": first.id if first.kind == "document" else None,
                             "earlier_odoo_bill_id": first.id if first.kind == "odoo_bill" else None})
