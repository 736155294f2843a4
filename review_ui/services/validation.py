"""Checks of one field's value, the same on the screen (as the clerk types) and when a correction is saved."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from models.identifiers import iban_valid, normalise_iban, normalise_vat, vat_valid
from models.invoice import AMOUNT_FIELDS, DATE_FIELDS, LINE_NUMBER_FIELDS

MAX_LEN = 500
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class FieldCheck:
    ok: bool
    value: str  # the canonical form that would be stored
    message: str = ""


def check_field(name: str, raw: str) -> FieldCheck:
    """``name`` is a header field or a line field (``quantity``, ``unit_price``…); empty is allowed."""
    value = raw.strip()
    if not value:
        return FieldCheck(True, "")
    if len(value) > MAX_LEN:
        return FieldCheck(False, value, f"at most {MAX_LEN} characters")
    if name in DATE_FIELDS or name == "expiry":
        return _check_date(value)
    if name in AMOUNT_FIELDS or name in LINE_NUMBER_FIELDS:
        return _check_amount(value, negative_ok=name != "tax_rate")
    if name == "currency":
        up = value.upper()
        return FieldCheck(bool(_CURRENCY.match(up)), up, "" if _CURRENCY.match(up) else "a 3-letter ISO code")
    if name in ("vendor_vat", "buyer_vat"):
        norm = normalise_vat(value)
        return FieldCheck(vat_valid(norm), norm, "" if vat_valid(norm) else "VAT id fails its checksum")
    if name == "vendor_iban":
        norm = normalise_iban(value)
        return FieldCheck(iban_valid(norm), norm, "" if iban_valid(norm) else "IBAN fails its checksum")
    return FieldCheck(True, value)


def _check_date(value: str) -> FieldCheck:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return FieldCheck(False, value, "a date as YYYY-MM-DD")
    if not 1990 <= parsed.year <= 2100:
        return FieldCheck(False, value, "a date between 1990 and 2100")
    return FieldCheck(True, parsed.isoformat())


def _check_amount(value: str, *, negative_ok: bool) -> FieldCheck:
    # Clerks type what the page shows: "1 234,50" and "1,234.50" both mean 1234.50.
    compact = value.replace(" ", "").replace("\u00a0", "").replace("'", "")
    if "," in compact and "." in compact:
        compact = compact.replace(",", "") if compact.rfind(".") > compact.rfind(",") else \
            compact.replace(".", "").replace(",", ".")
    elif "," in compact:
        compact = compact.replace(",", ".") if len(compact.rsplit(",", 1)[1]) != 3 else compact.replace(",", "")
    try:
        amount = Decimal(compact)
    except InvalidOperation:
        return FieldCheck(False, value, "a number such as 1234.50")
    if not amount.is_finite() or abs(amount) >= Decimal("1e15"):
        return FieldCheck(False, value, "a number such as 1234.50")
    if amount < 0 and not negative_ok:
        return FieldCheck(False, value, "cannot be negative")
    return FieldCheck(True, format(amount, "f"))
