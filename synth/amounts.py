"""Invoice arithmetic as vendors and Odoo do it: line amounts rounded half up to the cent, tax per
rate group on the group's net (``round_globally``), total = net + tax."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from models.money import round_money

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class TaxGroup:
    rate: Decimal  # percent
    base: Decimal
    tax: Decimal


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return round_money(quantity * unit_price)


def tax_groups(lines: Iterable[tuple[Decimal, Decimal]]) -> list[TaxGroup]:
    """``(net amount, rate)`` pairs → one group per rate, highest rate first, as invoices list them."""
    bases: dict[Decimal, Decimal] = {}
    for amount, rate in lines:
        key = rate.normalize() if rate else Decimal(0)
        bases[key] = bases.get(key, ZERO) + amount
    return [TaxGroup(rate, round_money(base), round_money(base * rate / 100))
            for rate, base in sorted(bases.items(), key=lambda kv: -kv[0])]


def totals(groups: list[TaxGroup]) -> tuple[Decimal, Decimal, Decimal]:
    net = sum((g.base for g in groups), ZERO)
    tax = sum((g.tax for g in groups), ZERO)
    return net, tax, net + tax
