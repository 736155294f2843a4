"""Invoice lines as numbers: quantity, unit price and amount as ``Decimal``, and what kind of line it is.

Printed unit prices are often rounded to the cent while the line amount is exact, so the price a line
really charges is its amount divided by its quantity; the printed price is used when that is not
possible. Freight, fees and discounts are recognised by unambiguous words (in the six languages our
vendors write) so that a "viral transport medium" is never mistaken for a transport charge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from matching.vendors.normalise import fold
from models.invoice import InvoiceData, LineItem
from models.money import to_decimal

_CHARGE = re.compile(
    r"\b(freight|shipping|carriage|postage|courier|handling|surcharges?|fees?|delivery (charges?|fees?|costs?)|"
    r"small order|minimum order|packaging (charges?|costs?)|"
    r"fracht\w*|versand\w*|lieferkosten|porto|verpackungskosten|zuschlag|mindermengenzuschlag|gebuhr\w*|"
    r"frais( de port| de livraison| d.expedition| de transport)?|livraison|"
    r"gastos de envio|portes|envio|recargo|"
    r"spese( di spedizione| di trasporto)?|spedizione|"
    r"verzendkosten|vrachtkosten|bezorgkosten|toeslag|verzending)\b")
_DISCOUNT = re.compile(
    r"\b(discount|rebate|credit|rabatt|nachlass|skonto|remise|ristourne|descuento|bonificacion|sconto|"
    r"abbuono|korting)\b")


CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")


class LineKind(StrEnum):
    ITEM = "item"
    CHARGE = "charge"
    DISCOUNT = "discount"


@dataclass(frozen=True)
class InvoiceLine:
    index: int
    description: str
    product_code: str | None
    quantity: Decimal | None
    unit: str | None
    unit_price: Decimal | None
    amount: Decimal | None
    tax_rate: Decimal | None
    confidence: dict[str, float]

    @property
    def ref(self) -> str:
        return f"line {self.index + 1}"

    @property
    def label(self) -> str:
        text = self.description or self.product_code or ""
        return f"{self.ref} ({text[:60]})" if text else self.ref

    @property
    def qty(self) -> Decimal:
        """The billed quantity; a line without one bills one of something (a fee, a service)."""
        if self.quantity is not None:
            return self.quantity
        if self.amount is not None and self.unit_price:
            return self.amount / self.unit_price
        return Decimal(1)

    @property
    def price(self) -> Decimal | None:
        """What one unit really costs on this line: amount / quantity where both are known, which keeps
        the precision a printed unit price rounds away. When the line's own figures disagree beyond
        that rounding, the printed unit price: the line is held for its arithmetic already, and one
        misread amount should not also read as a price rise."""
        if self.amount is not None and self.quantity:
            if self.unit_price is not None and \
                    abs(self.amount - self.quantity * self.unit_price) > max(abs(self.quantity) * HALF_CENT, CENT):
                return self.unit_price
            return self.amount / self.quantity
        return self.unit_price

    @property
    def value(self) -> Decimal:
        if self.amount is not None:
            return self.amount
        if self.quantity is not None and self.unit_price is not None:
            return self.quantity * self.unit_price
        return Decimal(0)

    @property
    def kind_hint(self) -> LineKind:
        """Its kind if no PO line explains it: a discount, a charge, or an item that should be on the order."""
        text = fold(self.description or "")
        if self.value < 0 or _DISCOUNT.search(text):
            return LineKind.DISCOUNT
        if not self.product_code and _CHARGE.search(text):
            return LineKind.CHARGE
        return LineKind.ITEM


def is_charge_text(text: str) -> bool:
    """Freight, fees, surcharges, in any of our vendors' languages (text already folded or not)."""
    return bool(_CHARGE.search(fold(text)))


def _decimal(item: LineItem, name: str) -> Decimal | None:
    try:
        return item.decimal(name)
    except (ValueError, TypeError, InvalidOperation):
        return None


# ZUGFeRD/Factur-X EXTENDED sub-lines: a GROUP line's amount is the sum of its DETAIL lines, and
# INFORMATION lines carry no amount; counting the details as well would bill them twice.
SUB_LINE_STATUSES = frozenset({"DETAIL", "INFORMATION"})


def parse_lines(inv: InvoiceData) -> list[InvoiceLine]:
    out = []
    ids = {item.get("line_id") for item in inv.lines if item.get("line_id")}
    for i, item in enumerate(inv.lines):
        status = (item.get("line_status") or "").strip().upper()
        if status in SUB_LINE_STATUSES and (status == "INFORMATION" or item.get("parent_line_id") in ids):
            continue
        out.append(InvoiceLine(
            index=i,
            description=(item.get("description") or "").strip(),
            product_code=(item.get("product_code") or "").strip() or None,
            quantity=_decimal(item, "quantity"),
            unit=(item.get("unit") or "").strip() or None,
            unit_price=_decimal(item, "unit_price"),
            amount=_decimal(item, "amount"),
            tax_rate=_decimal(item, "tax_rate"),
            confidence={k: f.confidence for k, f in item.fields.items()},
        ))
    return out


def header_amount(inv: InvoiceData, name: str) -> Decimal | None:
    value = inv.get(name)
    if value in (None, ""):
        return None
    try:
        return to_decimal(value)
    except (ValueError, TypeError):
        return None
