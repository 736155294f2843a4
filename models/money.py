"""Money and quantities as ``Decimal``; never float on an amount."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_decimal(value: object) -> Decimal:
    """Convert a stored or typed value to Decimal, refusing floats' binary noise by going through str."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(value, int | str):
        try:
            return Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValueError(f"not a decimal amount: {value!r}") from exc
    if isinstance(value, float):
        return Decimal(repr(value))
    raise TypeError(f"cannot read {type(value).__name__} as an amount")


def round_money(value: Decimal, places: Decimal = CENT) -> Decimal:
    """Commercial rounding (half up), as invoices and Odoo print it."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def money_str(value: Decimal | None) -> str | None:
    """The canonical string form used in JSON: plain notation, no exponent."""
    if value is None:
        return None
    return format(value.normalize() if value == value.to_integral() else value, "f")
