"""When an extracted value counts as right: the comparison rules of the corpus README, exactly.

- invoice and order numbers, VAT ids, IBANs: equal after removing whitespace, ``-``, ``.``, ``/`` and
  upper-casing; a VAT id also matches without its two-letter country prefix;
- dates: the same calendar day; amounts: the same value to the cent; currency: the same code;
- names: equal after lower-casing and removing punctuation and legal forms, or a rapidfuzz
  ``token_set_ratio`` of at least 90;
- lines: matched one to one on amount (or quantity × unit price) and description similarity.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from rapidfuzz import fuzz

from models.identifiers import normalise_ref, vat_without_country

HEADER_FIELDS = ("vendor_name", "vendor_vat", "vendor_iban", "buyer_name", "invoice_number", "invoice_date",
                 "due_date", "po_number", "currency", "net_amount", "tax_amount", "total_amount")
REF_FIELDS = frozenset({"invoice_number", "po_number", "vendor_vat", "vendor_iban"})
NAME_FIELDS = frozenset({"vendor_name", "buyer_name"})
DATE_FIELDS = frozenset({"invoice_date", "due_date"})
AMOUNT_FIELDS = frozenset({"net_amount", "tax_amount", "total_amount", "quantity", "unit_price", "amount"})
_CENT = Decimal("0.01")
_LEGAL_FORMS = re.compile(
    r"\b(gmbh\s*&\s*co\.?\s*kg|gmbh|mbh|ag|kg|kgaa|ohg|ug|e\.?\s?k|e\.?\s?v|a\.?\s?g|ltd|limited|inc|llc|llp|plc|"
    r"corp|co|company|sarl|s\.?\s?a\.?\s?r\.?\s?l|sas|sasu|eurl|sa|s\.a|bv|b\.v|nv|n\.v|vof|spa|s\.p\.a|srl|s\.r\.l|"
    r"sl|s\.l|slu|ab|as|asa|oy|aps|sdn\s+bhd|bhd|sdn|pte|pty|kft|zrt|sp\.?\s?z\.?\s?o\.?\s?o)\b\.?",
    re.IGNORECASE,
)
# Line descriptions count as the same item from this token-set similarity on (0..100).
LINE_DESCRIPTION_MIN = 60


def normalise_name(value: str) -> str:
    lowered = _LEGAL_FORMS.sub(" ", value.lower())
    return " ".join(re.sub(r"[^\w\s]|_", " ", lowered).split())


def to_amount(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value).strip()).quantize(_CENT)
    except (InvalidOperation, ValueError):
        return None


def field_matches(name: str, truth: Any, got: Any) -> bool:
    """Whether ``got`` (the extracted value) counts as ``truth`` for field ``name``."""
    if got is None or got == "":
        return False
    if name in REF_FIELDS:
        if normalise_ref(str(truth)) == normalise_ref(str(got)):
            return True
        return name == "vendor_vat" and vat_without_country(str(truth)) == vat_without_country(str(got))
    if name in NAME_FIELDS or name == "description":
        return names_match(str(truth), str(got))
    if name in DATE_FIELDS:
        try:
            return date.fromisoformat(str(truth)) == date.fromisoformat(str(got))
        except ValueError:
            return False
    if name in AMOUNT_FIELDS:
        a, b = to_amount(truth), to_amount(got)
        return a is not None and a == b
    if name == "currency":
        return str(truth).strip().upper() == str(got).strip().upper()
    return str(truth).strip() == str(got).strip()


def names_match(truth: str, got: str) -> bool:
    a, b = normalise_name(truth), normalise_name(got)
    if not a or not b:
        a, b = truth.strip().lower(), got.strip().lower()
    return a == b or fuzz.token_set_ratio(a, b) >= 90


def line_amounts(line: dict[str, Any]) -> set[Decimal]:
    """The amounts a line can be matched on: its amount, quantity × unit price, else its unit price."""
    out: set[Decimal] = set()
    amount, qty, price = (to_amount(line.get(k)) for k in ("amount", "quantity", "unit_price"))
    if amount is not None:
        out.add(amount)
    raw_qty, raw_price = _exact(line.get("quantity")), _exact(line.get("unit_price"))
    if raw_qty is not None and raw_price is not None:
        out.add((raw_qty * raw_price).quantize(_CENT))
    if amount is None and price is not None and (qty is None or qty == 1):
        out.add(price)
    return out


def _exact(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def match_lines(truth: list[dict[str, Any]], got: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one pairs (truth index, extracted index): amounts agree, descriptions alike, best first."""
    pairs: list[tuple[float, int, int]] = []
    for i, t in enumerate(truth):
        t_amounts = line_amounts(t)
        t_desc = normalise_name(str(t.get("description") or ""))
        for j, g in enumerate(got):
            if t_amounts and not t_amounts & line_amounts(g):
                continue
            g_desc = normalise_name(str(g.get("description") or ""))
            similarity = float(fuzz.token_set_ratio(t_desc, g_desc)) if t_desc and g_desc else 0.0
            if t_desc and similarity < LINE_DESCRIPTION_MIN:
                continue
            pairs.append((similarity, i, j))
    pairs.sort(reverse=True)
    used_t: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i in used_t or j in used_g:
            continue
        used_t.add(i)
        used_g.add(j)
        out.append((i, j))
    return out
