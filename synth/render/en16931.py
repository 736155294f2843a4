"""EN 16931 semantics shared by the CII (Factur-X) and UBL writers: unit codes, VAT categories,
amount formatting, and the values a document's e-invoice carries (which differ from its page only in
an ``EINVOICE_PDF_MISMATCH`` scenario)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from synth.document import InvoiceDoc
from synth.world.places import EU

# UN/ECE Recommendation 20 codes for the ERP's units.
UNIT_CODES = {"Units": "C62", "Pack of 10": "PA", "Case of 12": "CS", "Case of 24": "CS", "Box of 50": "BX",
              "Box of 100": "BX", "Rack of 96": "RK", "Hours": "HUR", "Days": "DAY", "kg": "KGM", "g": "GRM",
              "L": "LTR", "mL": "MLT"}


@dataclass(frozen=True)
class VatCategory:
    code: str  # S standard, AE reverse charge, G export outside the EU
    reason: str | None
    reason_code: str | None


def vat_category(doc: InvoiceDoc, rate: Decimal) -> VatCategory:
    if rate > 0:
        return VatCategory("S", None, None)
    if doc.vendor.country in EU and doc.vendor.country != "DE":
        return VatCategory("AE", "Reverse charge", "VATEX-EU-AE")
    if doc.vendor.country == "DE":
        return VatCategory("Z", None, None)
    return VatCategory("G", "Export outside the EU", "VATEX-EU-G")


def amount(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def quantity(value: Decimal) -> str:
    return format(value.normalize(), "f")


def price(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"{whole}.{(frac + '00')[:max(2, len(frac))]}"


def rate_text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


@dataclass(frozen=True)
class EInvoiceValues:
    number: str
    issue_date: date
    iban: str | None
    bic: str | None


def values(doc: InvoiceDoc) -> EInvoiceValues:
    """The header values the XML carries: the page's, except where the scenario makes them differ."""
    differ = doc.einvoice_differences()
    assert doc.invoice_number is not None and doc.issue_date is not None, "an e-invoice needs a number and date"
    account = doc.account if doc.account and doc.account.is_iban else None
    iban = account.acc_number if account else None
    bic = account.bic if account else None
    if "vendor_iban" in differ:
        other = doc.vendor.accounts[1]
        iban, bic = other.acc_number, other.bic
    return EInvoiceValues(
        number=differ.get("invoice_number", doc.invoice_number),
        issue_date=date.fromisoformat(differ["invoice_date"]) if "invoice_date" in differ else doc.issue_date,
        iban=iban, bic=bic)
