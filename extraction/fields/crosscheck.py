"""A hybrid PDF's page against its embedded XML: the printed figures must be the booked ones.

A PDF whose picture says one IBAN or total while its XML says another is a known fraud and error
pattern: the clerk approves what they see, the ERP books what the XML says. For each key field the XML
holds, the page passes when it prints that value anywhere (in any format: ``1.234,56`` for ``1234.56``);
it fails when it does not *and* the page's own reading of the field found a different value with some
certainty. A field the visualisation simply leaves out is not a mismatch.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from extraction.fields.header import FieldSet
from extraction.fields.select import Chosen
from extraction.normalise.amounts import find_amounts
from extraction.normalise.dates import find_dates
from extraction.normalise.text import compact
from models.identifiers import normalise_iban, normalise_ref, normalise_vat, vat_without_country
from models.invoice import InvoiceData

KEY_FIELDS = ("invoice_number", "invoice_date", "total_amount", "net_amount", "tax_amount", "vendor_vat",
              "vendor_iban")
_LABELS = {"invoice_number": "invoice number", "invoice_date": "invoice date", "total_amount": "total",
           "net_amount": "net amount", "tax_amount": "VAT amount", "vendor_vat": "vendor VAT id",
           "vendor_iban": "vendor IBAN"}
# The page's reading must be at least this likely right (calibrated) before its disagreement is reported:
# the XML's value is printed nowhere on the page, and the page more probably than not says another.
MIN_CONFIDENCE = 0.5


def einvoice_mismatches(invoice: InvoiceData, page: FieldSet,
                        confidence: Callable[[str, Chosen], float]) -> list[dict[str, str]]:
    """``confidence``: the calibrated probability that the page's reading of a field is right."""
    warnings: list[dict[str, str]] = []
    for fname in KEY_FIELDS:
        xml_value = invoice.get(fname)
        if not xml_value or _printed(fname, xml_value, page):
            continue
        seen = page.fields.get(fname)
        if seen is None or seen.origin == "computed" or _same(fname, seen.value, xml_value) \
                or confidence(fname, seen) < MIN_CONFIDENCE:
            continue
        where = f" (page {seen.page})" if seen.page else ""
        warnings.append({
            "code": "EINVOICE_PDF_MISMATCH",
            "field": fname,
            "message": f"The PDF shows {_LABELS[fname]} {seen.value}{where}, but its embedded e-invoice XML says "
                       f"{xml_value}; the XML is what would be booked. Check with the vendor before paying.",
        })
    return warnings


def _printed(fname: str, value: str, page: FieldSet) -> bool:
    ctx = page.ctx
    texts = [p.text for p in ctx.phrases] + [line.text for line in ctx.layout.lines()]
    if fname in ("total_amount", "net_amount", "tax_amount"):
        target = _amount(value)
        if target is None:
            return False
        return any(abs(a.value) == abs(target) for t in texts for a in find_amounts(t, ctx.read.style))
    if fname == "invoice_date":
        return any(d.value.isoformat() == value for t in texts for d in find_dates(t, ctx.read.order,
                                                                                     compact=True))
    if fname == "vendor_vat":
        wanted = {compact(normalise_vat(value)), compact(vat_without_country(value))}
        return any(w and w in compact(t) for t in texts for w in wanted)
    if fname == "vendor_iban":
        wanted_iban = compact(normalise_iban(value))
        return any(wanted_iban in compact(t) for t in texts)
    wanted_ref = normalise_ref(value)
    return any(wanted_ref in normalise_ref(t) for t in texts)


def _same(fname: str, seen: str, xml_value: str) -> bool:
    if fname in ("total_amount", "net_amount", "tax_amount"):
        a, b = _amount(seen), _amount(xml_value)
        return a is not None and b is not None and abs(a) == abs(b)
    if fname == "vendor_vat":
        return vat_without_country(seen) == vat_without_country(xml_value)
    if fname == "vendor_iban":
        return normalise_iban(seen) == normalise_iban(xml_value)
    return normalise_ref(seen) == normalise_ref(xml_value)


def _amount(value: str) -> Decimal | None:
    try:
        return Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
