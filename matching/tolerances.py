"""Measuring a variance against a policy rule: which side, which limit binds, and is it exceeded.

A variance is signed: positive when the invoice asks for more than the reference (more quantity, a
higher price), negative for less. The side in that direction decides; a side that is "off" accepts
anything. ``allowance`` widens every limit by a fixed amount (rounding and accepted small differences
on arithmetic and tax), so zero tolerance still forgives the cent a printed price loses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from matching.findings import amt, num
from matching.policy.model import CheckRule, Side

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Verdict:
    exceeded: bool
    variance: Decimal
    limit: Decimal | None  # in the check's unit; None when that side is off (or the check is disabled)
    tolerance: str  # "tolerance 5% = 5", "tolerance 0", "no limit"
    checked: bool = True

    @property
    def over(self) -> Decimal:
        return abs(self.variance)


def evaluate(rule: CheckRule, variance: Decimal, reference: Decimal, *, unit_value: Decimal | None = None,
             allowance: Decimal = ZERO, money: bool = False) -> Verdict:
    """``reference`` is what percent limits are a percentage of; ``unit_value`` converts a money ``value``
    limit into the check's unit (the price, for a quantity variance; the quantity, for a price one)."""
    if not rule.enabled:
        return Verdict(False, variance, None, "not checked", checked=False)
    if variance == 0:
        return Verdict(False, variance, None, "no variance")
    side = rule.side("upper" if variance > 0 else "lower")
    if side is None:
        return Verdict(False, variance, None, "no limit on that side")
    limit, text = binding_limit(side, reference, unit_value, amt if money else num)
    limit += allowance
    return Verdict(abs(variance) > limit, variance, limit, text)


def binding_limit(side: Side, reference: Decimal, unit_value: Decimal | None,
                  show: Callable[[Decimal | None], str] = num) -> tuple[Decimal, str]:
    """The strictest of a side's limits, in the check's unit, with the words that explain it."""
    options: list[tuple[Decimal, str]] = []
    if side.percent is not None:
        amount = abs(reference) * side.percent / HUNDRED
        options.append((amount, f"tolerance {num(side.percent)}% = {show(_round(amount))}"))
    if side.absolute is not None:
        options.append((side.absolute, f"tolerance {show(side.absolute)}"))
    if side.value is not None and unit_value:
        amount = side.value / abs(unit_value)
        options.append((amount, f"tolerance {num(side.value)} in value = {num(_round(amount))}"))
    elif side.value is not None:
        options.append((side.value, f"tolerance {num(side.value)} in value"))
    return min(options, key=lambda o: o[0])


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01")) if value != value.to_integral() else value


def percent_of(variance: Decimal, reference: Decimal) -> Decimal | None:
    return variance / reference * HUNDRED if reference else None
