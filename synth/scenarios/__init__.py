"""The scenario catalogue: every way an invoice meets the ERP that the product must handle, each with
the holds matching must raise under the default tolerance policy.

Expected outcomes assume ``matching/default_policy.toml`` as agreed with the matching engineer:

- ``PRICE_VARIANCE``: a unit price (in the PO line's unit) more than 2% above the PO's; below it, no
  hold.
- ``QTY_OVER_RECEIVED``: for goods billed on received quantities, billed > received − already billed;
  ``QTY_OVER_ORDERED``: billed > ordered − already billed (services and ``purchase_method =
  'purchase'`` products are matched two-way, against ordered quantities only); no quantity tolerance.
- ``NOT_RECEIVED``: a goods line billed on received quantities with nothing received yet; it replaces
  ``QTY_OVER_RECEIVED`` for that line.
- ``AMOUNT_VARIANCE``: the invoice total against what its matched lines explain (billed quantity x PO
  unit price, plus accepted freight, plus tax) differs by more than 1% or 10.00. Only the total is
  judged; a single line's price or quantity is its own code. Freight or fees not on the PO are
  accepted up to 5% of net or 100.00; beyond that they are unexplained and the total is off.
- ``TAX_MISMATCH``: a line's VAT rate differs from its PO line's tax code (no amount tolerance
  beyond cent rounding).
- ``OVER_AUTHORITY_LIMIT``: total above 25,000.00 in the invoice currency.
- ``VENDOR_AMOUNT_LIMIT``: total above the vendor's ``x_invoice_limit`` (in the snapshot).
- ``SPLIT_INVOICE_SUSPECTED``: three invoices of one vendor within a week, each between 90% and 100%
  of the auto-post limit (the earlier two are posted bills in the ERP).
- Vendor-level holds (``VENDOR_UNKNOWN``, ``VENDOR_AMBIGUOUS``) stop matching before PO selection;
  PO-level holds are built so that the lines would pass against that PO anyway.
- ``FIRST_INVOICE`` / ``AMOUNT_UNUSUAL`` never arise: every invoicing vendor has a history of posted
  bills bracketing the new invoice's total. ``AUDIT_SAMPLE`` is off. Confidence threshold 0.80.

Every deliberate difference is either clearly inside or clearly outside its tolerance, never near
the edge, so the expected outcome does not depend on how a limit is rounded.
"""

from __future__ import annotations

from synth.scenarios import clean, document_holds, line_holds, noisy, order_holds, risk_holds, vendor_holds
from synth.scenarios.base import CLEAN, EXCEPTION, GROUPS, NOISY, Scenario

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for module in (clean, noisy, vendor_holds, order_holds, line_holds, document_holds, risk_holds)
    for s in module.SCENARIOS
}

__all__ = ["CLEAN", "EXCEPTION", "GROUPS", "NOISY", "SCENARIOS", "Scenario"]
