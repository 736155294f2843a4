"""A hybrid PDF's page against its embedded XML: the printed figures must be the booked ones.

A PDF whose picture says one IBAN or total while its XML says another is a known fraud and error
pattern: the clerk approves what they see, the ERP books what the XML says. For each key field the XML
holds, the page passes when it prints that value anywhere (in any format: ``1.234,56`` for ``1234.56``);
it fails when it does not *and* the page's own reading of the field found a different value with some
certainty. A field the visualisation simply leaves out is not a mismatch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from extraction.fields.context import american_money, amount_style, date_order
from extraction.fields.header import FieldSet
from extraction.fields.language import detect_language
from extraction.fields.layout import Layout
from extraction.fields.select import Chosen
from extraction.normalise.amounts import AmountStyle, find_amounts
from extraction.normalise.dates import DateOrder, find_dates
from extraction.normalise.text import compact
from models.identifiers import normalise_iban, normalise_ref, normalise_vat, vat_without_country
from models.invoice import InvoiceData

# Separators inside a figure ("1.234,56", "1 234,56", "1'234.56"), removed to look for its digits.
_DIGIT_GAPS = re.compile(r"(?<=\d)[.,'\s\u00a0\u202f](?=\d)")
KEY_FIELDS = ("invoice_number", "invoice_date", "total_amount", "net_amount", "tax_amount", "vendor_vat",
              "vendor_iban")
_LABELS = {"invoice_number": "invoice number", "invoice_date": "invoice date", "total_amount": "total",
           "net_amount": "net amount", "tax_amount": "VAT amount", "vendor_vat": "vendor VAT id",
           "vendor_iban": "vendor IBAN"}
# The page's reading must be at least this likely right (calibrated) before its disagreement is reported:
# the XML's value is printed nowhere on the page, and the page more probably than not says another.
MIN_CONFIDENCE = 0.5


def einvoice_mismatches(invoice: InvoiceData, printed: PrintedValues, page: FieldSet | None,
                        confidence: Callable[[str, Chosen], float]) -> list[dict[str, str]]:
    """``printed``: what the page shows; ``page``: its reading of at least the fields ``unprinted``
    names (None when there are none); ``confidence``: the calibrated probability that a reading is right."""
    warnings: list[dict[str, str]] = []
    for fname in unprinted(invoice, printed):
        seen = page.fields.get(fname) if page is not None else None
        xml_value = invoice.get(fname) or ""
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


def unprinted(invoice: InvoiceData, printed: PrintedValues) -> list[str]:
    """The key fields the XML holds whose value the page does not print anywhere, in any format."""
    return [f for f in KEY_FIELDS if invoice.get(f) and not printed.shows(f, invoice.get(f) or "")]


class PrintedValues:
    """What a page prints, asked value by value: ``1.234,56`` shows ``1234.56``, ``29. Juni 2025`` shows
    ``2025-06-29``. Only the lines that carry the value's digits are parsed, so asking costs little."""

    def __init__(self, layout: Layout) -> None:
        self._layout = layout
        lines = [line.text for line in layout.lines()]
        # Phrases, and the lines they make up where that differs (a value split by a wide gap).
        self.texts = list(dict.fromkeys([p.text for p in layout.phrases()] + lines))
        self._lines = lines
        self._digits = [_DIGIT_GAPS.sub("", t) for t in self.texts]
        self._style: AmountStyle | None = None
        self._order: DateOrder | None = None
        self._compacted: list[str] | None = None
        self._refs: str | None = None
        self._answers: dict[tuple[str, str], bool] = {}

    def shows(self, fname: str, value: str) -> bool:
        # Asked twice per field (what to read on the page, then what to report): answered once.
        answer = self._answers.get((fname, value))
        if answer is None:
            answer = self._answers[fname, value] = self._shows(fname, value)
        return answer

    def _shows(self, fname: str, value: str) -> bool:
        if fname in ("total_amount", "net_amount", "tax_amount"):
            return self._shows_amount(value)
        if fname == "invoice_date":
            return self._shows_date(value)
        if fname == "vendor_vat":
            wanted = {compact(normalise_vat(value)), compact(vat_without_country(value))}
            return any(w and w in t for t in self.compacted for w in wanted)
        if fname == "vendor_iban":
            wanted_iban = compact(normalise_iban(value))
            return any(wanted_iban in t for t in self.compacted)
        wanted_ref = normalise_ref(value)
        if not wanted_ref or "\0" in wanted_ref:
            return any(wanted_ref in normalise_ref(t) for t in self.texts)
        if self._refs is None:
            # Every text normalised in one call, NUL between them so that no value matches across two:
            # normalising drops single separator characters and upper-cases letter by letter, so the
            # whole is the texts' own normal forms side by side.
            self._refs = normalise_ref("\0".join(self.texts))
        return wanted_ref in self._refs

    @property
    def compacted(self) -> list[str]:
        if self._compacted is None:
            self._compacted = [compact(t) for t in self.texts]
        return self._compacted

    def _shows_amount(self, value: str) -> bool:
        target = _amount(value)
        if target is None:
            return False
        digits = format(abs(target), "f").replace(".", "").lstrip("0") or "0"
        if self._style is None:
            self._style = amount_style(self._layout, self._lines)
        return any(digits in d and any(abs(a.value) == abs(target) for a in find_amounts(t, self._style))
                   for t, d in zip(self.texts, self._digits, strict=True))

    def _shows_date(self, value: str) -> bool:
        year = value[:4]
        if self._order is None:
            # Month first only where the document reads as American, as the field rules decide it.
            # (Dollars first: the cheaper test, and most pages have none.)
            american = american_money(self._lines) and detect_language(self._lines) == "en"
            self._order = date_order(self._layout, self._lines, DateOrder.MDY if american else DateOrder.DMY)
        return any((year in d or year[2:] in d) and any(x.value.isoformat() == value
                                                        for x in find_dates(t, self._order, compact=True))
                   for t, d in zip(self.texts, self._digits, strict=True))


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
