"""What extraction itself tells us: fields it could not find or read with too little confidence,
warnings it raised (an e-invoice whose PDF says something else), and documents that are no invoices."""

from __future__ import annotations

from matching.findings import Finding
from matching.policy import Policy
from models.holds import HoldCode
from models.invoice import DocumentType, InvoiceData

# Warning codes from extraction that are holds in their own right.
WARNING_HOLDS: dict[str, HoldCode] = {
    "EINVOICE_PDF_MISMATCH": HoldCode.EINVOICE_PDF_MISMATCH,
}
NOT_INVOICES = frozenset({DocumentType.STATEMENT.value, DocumentType.REMINDER.value, DocumentType.OTHER.value})


def field_findings(inv: InvoiceData, policy: Policy) -> list[Finding]:
    out: list[Finding] = []
    conf = policy.confidence
    for name in conf.required:
        f = inv.fields.get(name)
        if f is None or f.value in (None, ""):
            out.append(Finding(HoldCode.MISSING_FIELD, f"The {name.replace('_', ' ')} could not be found on the "
                               "document; enter it from the page.", line_ref=name))
            continue
        threshold = conf.for_field(name)
        if f.confidence < threshold:
            out.append(Finding(HoldCode.LOW_CONFIDENCE,
                               f"The {name.replace('_', ' ')} {f.value!r} was read with confidence "
                               f"{f.confidence:.2f}, below {threshold:.2f}; check it on page {f.page or 1}.",
                               line_ref=name, measured=f"{f.confidence:.2f}", limit=f"{threshold:.2f}",
                               evidence={"value": f.value, "source": f.source, "page": f.page,
                                         "bbox": f.bbox.to_list() if f.bbox else None}))
    if not inv.lines:
        # Without lines nothing of the invoice can be checked against an order, and posting has nothing to
        # book: an invoice whose table was not read must not pass as clean because no line disagreed.
        out.append(Finding(HoldCode.MISSING_FIELD, "No line items could be read from the document, so nothing "
                           "of it can be checked against an order or booked; enter the lines from the page.",
                           line_ref="lines"))
    if conf.line_threshold != "off":
        for i, line in enumerate(inv.lines):
            for name in ("quantity", "unit_price", "amount"):
                lf = line.fields.get(name)
                if lf is not None and lf.value not in (None, "") and lf.confidence < conf.line_threshold:
                    out.append(Finding(HoldCode.LOW_CONFIDENCE,
                                       f"Line {i + 1}: the {name.replace('_', ' ')} {lf.value!r} was read with "
                                       f"confidence {lf.confidence:.2f}, below {conf.line_threshold:.2f}.",
                                       line_ref=f"line {i + 1} {name}", measured=f"{lf.confidence:.2f}",
                                       limit=f"{conf.line_threshold:.2f}"))
    return out


def warning_findings(inv: InvoiceData) -> tuple[list[Finding], list[dict[str, str]]]:
    """Holds from extraction's warnings, and the other warnings to show beside them."""
    holds, notes = [], []
    for w in inv.warnings:
        code = WARNING_HOLDS.get(str(w.get("code", "")))
        if code is None:
            notes.append(dict(w))
            continue
        holds.append(Finding(code, str(w.get("message") or code.value), line_ref=w.get("field"),
                             evidence=dict(w)))
    return holds, notes


def not_an_invoice(inv: InvoiceData) -> Finding | None:
    if inv.document_type not in NOT_INVOICES:
        return None
    return Finding(HoldCode.NOT_AN_INVOICE, f"This looks like a {inv.document_type.replace('_', ' ')}, not an "
                   "invoice: nothing to post. Reject it or correct its type.", measured=inv.document_type)
