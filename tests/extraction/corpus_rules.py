"""The evaluation corpus's comparison rules (``corpus/README.md``), for tests of the readers."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from rapidfuzz import fuzz

from models.identifiers import normalise_ref, vat_without_country

REF_FIELDS = frozenset({"invoice_number", "po_number", "vendor_vat", "vendor_iban"})
NAME_FIELDS = frozenset({"vendor_name", "buyer_name"})
DATE_FIELDS = frozenset({"invoice_date", "due_date"})
AMOUNT_FIELDS = frozenset({"net_amount", "tax_amount", "total_amount", "quantity", "unit_price", "amount"})
HEADER_FIELDS = ("vendor_name", "vendor_vat", "vendor_iban", "buyer_name", "invoice_number", "invoice_date",
                 "due_date", "po_number", "currency", "net_amount", "tax_amount", "total_amount")
_LEGAL_FORMS = re.compile(
    r"\b(gmbh|mbh|ag|kg|ohg|ug|e\.?\s?k|ltd|limited|inc|llc|plc|corp|co|sarl|sas|sa|s\.a|bv|b\.v|nv|n\.v|"
    r"spa|s\.p\.a|srl|s\.r\.l|sl|s\.l|ab|as|asa|oy|aps|sdn\s+bhd|bhd|sdn|pte|pty|kft|zrt|sp\.?\s?z\.?\s?o\.?\s?o)\b\.?")


def _name(value: str) -> str:
    lowered = _LEGAL_FORMS.sub(" ", value.lower())
    return " ".join(re.sub(r"[^\w\s]", " ", lowered).split())


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def field_matches(name: str, truth: Any, got: Any) -> bool:
    if got is None:
        return False
    if name in REF_FIELDS:
        if normalise_ref(str(truth)) == normalise_ref(str(got)):
            return True
        return name == "vendor_vat" and vat_without_country(str(truth)) == vat_without_country(str(got))
    if name in NAME_FIELDS or name == "description":
        a, b = _name(str(truth)), _name(str(got))
        return a == b or fuzz.token_set_ratio(a, b) >= 90
    if name in DATE_FIELDS:
        try:
            return date.fromisoformat(str(truth)) == date.fromisoformat(str(got))
        except ValueError:
            return False
    if name in AMOUNT_FIELDS:
        a, b = _decimal(truth), _decimal(got)
        return a is not None and b is not None and a.quantize(Decimal("0.01")) == b.quantize(Decimal("0.01"))
    if name == "currency":
        return str(truth).strip().upper() == str(got).strip().upper()
    return str(truth).strip() == str(got).strip()


def line_matches(truth: dict[str, Any], got: dict[str, Any]) -> bool:
    return all(field_matches(k, v, got.get(k)) for k, v in truth.items() if v is not None and not k.startswith("_"))
