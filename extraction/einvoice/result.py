"""What an e-invoice reader returns, and the small builder the CII and UBL mappings share."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.invoice import FieldValue, InvoiceData, LineItem, Source


@dataclass
class EInvoice:
    """An invoice read from its structured XML: exact, so every value carries confidence 1.0."""

    invoice: InvoiceData
    syntax: str  # "CII" (ZUGFeRD 1.0 / 2.x, Factur-X, XRechnung CII) or "UBL"
    profile: str | None
    xml: bytes
    # Where the XML came from: "xml" for a standalone file, else the embedded file's name in the PDF.
    origin: str = "xml"
    type_code: str | None = None


def exact(value: str | None) -> FieldValue:
    return FieldValue(value=value, confidence=1.0, source=Source.EINVOICE.value)


@dataclass
class InvoiceBuilder:
    """Collects values; absent ones (``None``) are left out so that "not in the XML" stays distinguishable."""

    fields: dict[str, FieldValue] = field(default_factory=dict)
    lines: list[LineItem] = field(default_factory=list)
    po_numbers: list[str] = field(default_factory=list)
    tax_breakdown: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def set(self, name: str, value: str | None) -> None:
        if value is not None and name not in self.fields:
            self.fields[name] = exact(value)

    def add_line(self, values: dict[str, str | None]) -> None:
        kept = {k: exact(v) for k, v in values.items() if v is not None}
        if kept:
            self.lines.append(LineItem(fields=kept, confidence=1.0))

    def add_po(self, value: str | None) -> None:
        if value and value not in self.po_numbers:
            self.po_numbers.append(value)

    def warn(self, code: str, message: str) -> None:
        self.warnings.append({"code": code, "message": message})

    def build(self) -> InvoiceData:
        if self.po_numbers:
            self.set("po_number", self.po_numbers[0])
        return InvoiceData(fields=dict(self.fields), lines=list(self.lines), po_numbers=list(self.po_numbers),
                           tax_breakdown=list(self.tax_breakdown), warnings=list(self.warnings))
