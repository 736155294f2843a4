"""Hold codes: the reasons an invoice goes to review instead of posting on its own.

Each code states in plain language what is wrong, which role may release it, and whether the release
needs a manager. The sentence with the numbers ("billed 120, received 100, tolerance 5%") is written
by the check that raises the hold; this table only describes the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.roles import Role


class HoldCode(StrEnum):
    VENDOR_UNKNOWN = "VENDOR_UNKNOWN"
    VENDOR_AMBIGUOUS = "VENDOR_AMBIGUOUS"
    PO_MISSING = "PO_MISSING"
    PO_NOT_FOUND = "PO_NOT_FOUND"
    PO_CLOSED = "PO_CLOSED"
    PO_VENDOR_MISMATCH = "PO_VENDOR_MISMATCH"
    LINE_UNMATCHED = "LINE_UNMATCHED"
    QTY_OVER_ORDERED = "QTY_OVER_ORDERED"
    QTY_OVER_RECEIVED = "QTY_OVER_RECEIVED"
    NOT_RECEIVED = "NOT_RECEIVED"
    PRICE_VARIANCE = "PRICE_VARIANCE"
    AMOUNT_VARIANCE = "AMOUNT_VARIANCE"
    TAX_MISMATCH = "TAX_MISMATCH"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    ARITHMETIC_ERROR = "ARITHMETIC_ERROR"
    DUPLICATE_SUSPECTED = "DUPLICATE_SUSPECTED"
    BANK_DETAILS_CHANGED = "BANK_DETAILS_CHANGED"
    EINVOICE_PDF_MISMATCH = "EINVOICE_PDF_MISMATCH"
    LOW_CONFIDENCE = "LOW_CONFIDENCE"
    MISSING_FIELD = "MISSING_FIELD"
    OVER_AUTHORITY_LIMIT = "OVER_AUTHORITY_LIMIT"
    CREDIT_NOTE_UNLINKED = "CREDIT_NOTE_UNLINKED"
    VENDOR_AMOUNT_LIMIT = "VENDOR_AMOUNT_LIMIT"
    SPLIT_INVOICE_SUSPECTED = "SPLIT_INVOICE_SUSPECTED"
    AMOUNT_UNUSUAL = "AMOUNT_UNUSUAL"
    FIRST_INVOICE = "FIRST_INVOICE"
    AUDIT_SAMPLE = "AUDIT_SAMPLE"
    NOT_AN_INVOICE = "NOT_AN_INVOICE"


@dataclass(frozen=True)
class HoldSpec:
    code: HoldCode
    title: str
    explanation: str
    release_role: Role
    needs_manager: bool


def _spec(code: HoldCode, title: str, explanation: str, role: Role = Role.CLERK) -> HoldSpec:
    return HoldSpec(code, title, explanation, role, role is not Role.CLERK)


HOLD_SPECS: dict[HoldCode, HoldSpec] = {
    s.code: s
    for s in (
        _spec(HoldCode.VENDOR_UNKNOWN, "Unknown vendor",
              "No vendor in the ERP matches the invoice's tax id, IBAN, e-mail domain or name."),
        _spec(HoldCode.VENDOR_AMBIGUOUS, "Ambiguous vendor",
              "Several vendors match the invoice about equally well; pick the right one."),
        _spec(HoldCode.PO_MISSING, "No purchase order",
              "The invoice names no purchase order and none of the vendor's open orders explains it."),
        _spec(HoldCode.PO_NOT_FOUND, "Purchase order not found",
              "The purchase order number printed on the invoice is not in the ERP."),
        _spec(HoldCode.PO_CLOSED, "Purchase order closed",
              "The purchase order is cancelled or already fully billed."),
        _spec(HoldCode.PO_VENDOR_MISMATCH, "Purchase order of another vendor",
              "The purchase order belongs to a different vendor than the one who sent the invoice.",
              Role.MANAGER),
        _spec(HoldCode.LINE_UNMATCHED, "Line not on the order",
              "An invoice line matches no line of the purchase order."),
        _spec(HoldCode.QTY_OVER_ORDERED, "Billed more than ordered",
              "The billed quantity exceeds the ordered quantity beyond tolerance."),
        _spec(HoldCode.QTY_OVER_RECEIVED, "Billed more than received",
              "The billed quantity exceeds what was received and not yet billed, beyond tolerance."),
        _spec(HoldCode.NOT_RECEIVED, "Goods not received",
              "Nothing has been received yet for a line billed on received quantities."),
        _spec(HoldCode.PRICE_VARIANCE, "Price variance",
              "The unit price differs from the purchase order beyond tolerance."),
        _spec(HoldCode.AMOUNT_VARIANCE, "Amount variance",
              "A line or the invoice total differs from what the order explains beyond tolerance."),
        _spec(HoldCode.TAX_MISMATCH, "Tax mismatch",
              "The tax billed differs from the tax the order's tax codes give."),
        _spec(HoldCode.CURRENCY_MISMATCH, "Currency mismatch",
              "The invoice currency differs from the purchase order currency."),
        _spec(HoldCode.ARITHMETIC_ERROR, "Arithmetic error",
              "The invoice's own figures do not add up (lines to net, net plus tax to total)."),
        _spec(HoldCode.DUPLICATE_SUSPECTED, "Possible duplicate",
              "An invoice with the same vendor and number, or the same amount and date, exists already."),
        _spec(HoldCode.BANK_DETAILS_CHANGED, "Bank details changed",
              "The IBAN on the invoice is not among the vendor's bank accounts in the ERP. "
              "Verify with the vendor by a known phone number before paying.",
              Role.MANAGER),
        _spec(HoldCode.EINVOICE_PDF_MISMATCH, "E-invoice differs from its PDF",
              "The structured data embedded in the PDF disagrees with what the page shows.",
              Role.MANAGER),
        _spec(HoldCode.LOW_CONFIDENCE, "Low confidence",
              "A required field was read with a confidence below its threshold; check it on the page."),
        _spec(HoldCode.MISSING_FIELD, "Missing field",
              "A required field could not be found on the document."),
        _spec(HoldCode.OVER_AUTHORITY_LIMIT, "Over authority limit",
              "The amount is above the automatic posting limit or the approval matrix asks for a manager.",
              Role.MANAGER),
        _spec(HoldCode.CREDIT_NOTE_UNLINKED, "Credit note without its invoice",
              "The credit note does not reference a bill that can be found."),
        _spec(HoldCode.VENDOR_AMOUNT_LIMIT, "Over the vendor's invoice limit",
              "The invoice total exceeds the limit set for this vendor.", Role.MANAGER),
        _spec(HoldCode.SPLIT_INVOICE_SUSPECTED, "Possible split invoice",
              "Several invoices from this vendor just under an approval limit within a short time.",
              Role.MANAGER),
        _spec(HoldCode.AMOUNT_UNUSUAL, "Unusual amount",
              "The amount is far outside this vendor's history."),
        _spec(HoldCode.FIRST_INVOICE, "First invoice from this vendor",
              "No earlier invoice from this vendor has been processed; check it once."),
        _spec(HoldCode.AUDIT_SAMPLE, "Audit sample",
              "Picked at random for a second look, as the policy's audit sample rate asks."),
        _spec(HoldCode.NOT_AN_INVOICE, "Not an invoice",
              "The document looks like a statement, reminder or other non-invoice document."),
    )
}


def hold_spec(code: HoldCode | str) -> HoldSpec:
    return HOLD_SPECS[HoldCode(code)]
