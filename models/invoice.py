"""What extraction produces and everything after it reads: fields with confidence and provenance.

Values are kept as canonical strings (ISO dates, plain decimal amounts, ISO currency codes), the same
form as the evaluation corpus's truth files, so that a JSON line of ``payables extract`` is this object
serialised. Typed accessors turn them into ``Decimal`` and ``date`` where logic needs numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from models.money import to_decimal

# Header fields, in the order a clerk reads them. The first block is the corpus schema.
HEADER_FIELDS: tuple[str, ...] = (
    "vendor_name",
    "vendor_vat",
    "vendor_iban",
    "buyer_name",
    "invoice_number",
    "invoice_date",
    "due_date",
    "po_number",
    "currency",
    "net_amount",
    "tax_amount",
    "total_amount",
    "vendor_bic",
    "vendor_address",
    "vendor_email",
    "buyer_vat",
    "payment_terms",
    "delivery_note",
    "document_type",
    "credit_note_ref",
)
AMOUNT_FIELDS = frozenset({"net_amount", "tax_amount", "total_amount"})
DATE_FIELDS = frozenset({"invoice_date", "due_date"})
LINE_FIELDS: tuple[str, ...] = (
    "description",
    "product_code",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "tax_rate",
    "lot",
    "expiry",
)
LINE_NUMBER_FIELDS = frozenset({"quantity", "unit_price", "amount", "tax_rate"})


class Source(StrEnum):
    EINVOICE = "einvoice"
    LAYOUT = "layout"
    OCR = "ocr"
    LEARNED = "learned"
    TEMPLATE = "template"
    COMPUTED = "computed"
    HUMAN = "human"
    ENVELOPE = "envelope"


class DocumentType(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    STATEMENT = "statement"
    REMINDER = "reminder"
    OTHER = "other"


@dataclass(frozen=True)
class BBox:
    """A box in PDF points, measured from the page's top-left corner."""

    x0: float
    y0: float
    x1: float
    y1: float

    def to_list(self) -> list[float]:
        return [round(self.x0, 2), round(self.y0, 2), round(self.x1, 2), round(self.y1, 2)]

    @classmethod
    def from_list(cls, values: list[float] | tuple[float, ...]) -> BBox:
        x0, y0, x1, y1 = (float(v) for v in values)
        return cls(x0, y0, x1, y1)

    def union(self, other: BBox) -> BBox:
        return BBox(min(self.x0, other.x0), min(self.y0, other.y0),
                    max(self.x1, other.x1), max(self.y1, other.y1))


@dataclass(frozen=True)
class FieldValue:
    value: str | None
    confidence: float = 0.0
    source: str = Source.LAYOUT.value
    page: int | None = None
    bbox: BBox | None = None
    raw: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "confidence": round(self.confidence, 4),
            "source": self.source,
            "page": self.page,
            "bbox": self.bbox.to_list() if self.bbox else None,
        }
        if self.raw is not None and self.raw != self.value:
            out["raw"] = self.raw
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FieldValue:
        bbox = data.get("bbox")
        return cls(
            value=data.get("value"),
            confidence=float(data.get("confidence") or 0.0),
            source=str(data.get("source") or Source.LAYOUT.value),
            page=data.get("page"),
            bbox=BBox.from_list(bbox) if bbox else None,
            raw=data.get("raw"),
        )


@dataclass
class LineItem:
    fields: dict[str, FieldValue] = field(default_factory=dict)
    confidence: float = 0.0
    page: int | None = None
    bbox: BBox | None = None

    def get(self, name: str) -> str | None:
        f = self.fields.get(name)
        return f.value if f else None

    def decimal(self, name: str) -> Decimal | None:
        v = self.get(name)
        return to_decimal(v) if v not in (None, "") else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: f.to_json() for name, f in self.fields.items()}
        out["confidence"] = round(self.confidence, 4)
        out["page"] = self.page
        out["bbox"] = self.bbox.to_list() if self.bbox else None
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LineItem:
        fields = {k: FieldValue.from_json(v) for k, v in data.items() if isinstance(v, dict)}
        bbox = data.get("bbox")
        return cls(fields=fields, confidence=float(data.get("confidence") or 0.0),
                   page=data.get("page"), bbox=BBox.from_list(bbox) if bbox else None)


@dataclass
class InvoiceData:
    """The extracted invoice: header fields, line items, and what extraction noticed on the way."""

    fields: dict[str, FieldValue] = field(default_factory=dict)
    lines: list[LineItem] = field(default_factory=list)
    po_numbers: list[str] = field(default_factory=list)
    tax_breakdown: list[dict[str, str]] = field(default_factory=list)
    language: str | None = None
    page_count: int = 0
    warnings: list[dict[str, str]] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        f = self.fields.get(name)
        return f.value if f else None

    def decimal(self, name: str) -> Decimal | None:
        v = self.get(name)
        return to_decimal(v) if v not in (None, "") else None

    def date(self, name: str) -> date | None:
        v = self.get(name)
        return date.fromisoformat(v) if v else None

    def confidence(self, name: str) -> float:
        f = self.fields.get(name)
        return f.confidence if f else 0.0

    @property
    def document_type(self) -> str:
        return self.get("document_type") or DocumentType.INVOICE.value

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: f.to_json() for name, f in self.fields.items()}
        out["lines"] = [line.to_json() for line in self.lines]
        out["po_numbers"] = list(self.po_numbers)
        out["tax_breakdown"] = list(self.tax_breakdown)
        out["language"] = self.language
        out["page_count"] = self.page_count
        out["warnings"] = list(self.warnings)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InvoiceData:
        reserved = {"lines", "po_numbers", "tax_breakdown", "language", "page_count", "warnings"}
        fields = {k: FieldValue.from_json(v) for k, v in data.items()
                  if k not in reserved and isinstance(v, dict)}
        return cls(
            fields=fields,
            lines=[LineItem.from_json(x) for x in data.get("lines") or []],
            po_numbers=list(data.get("po_numbers") or []),
            tax_breakdown=list(data.get("tax_breakdown") or []),
            language=data.get("language"),
            page_count=int(data.get("page_count") or 0),
            warnings=list(data.get("warnings") or []),
        )
