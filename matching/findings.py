"""What a check reports: a hold (or a warning) with the line, the measured value, the limit and a
sentence with the numbers, so a clerk sees why without opening the policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from models.holds import HoldCode, hold_spec
from models.money import money_str


class Outcome(StrEnum):
    HOLD = "hold"
    WARN = "warn"


@dataclass(frozen=True)
class Finding:
    code: HoldCode
    message: str
    line_ref: str | None = None
    measured: str | None = None
    limit: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    outcome: Outcome = Outcome.HOLD

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        """What identifies "the same hold" across runs: a release stays valid while this is unchanged.
        Cut to what the hold table stores, so a key read back from the database compares equal."""
        return (self.code.value, short(self.line_ref), short(self.measured))

    @property
    def release_role(self) -> str:
        return hold_spec(self.code).release_role.value

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code.value, "message": self.message, "line_ref": self.line_ref,
                "measured": self.measured, "limit": self.limit, "outcome": self.outcome.value,
                "release_role": self.release_role, "evidence": self.evidence}


KEY_SIZE = 60


def short(value: str | None, size: int = KEY_SIZE) -> str | None:
    """The hold table's short columns (line, measured, limit) hold 60 characters; the message has all."""
    return value if value is None or len(value) <= size else value[:size - 1] + "…"


def num(value: Decimal | None) -> str:
    """A quantity or amount as a clerk reads it: no exponent, no trailing zeros beyond the cents."""
    if value is None:
        return "-"
    if value == value.to_integral():
        return str(value.quantize(Decimal(1)))
    text = money_str(value.normalize()) or "-"
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}" if frac else whole


def amt(value: Decimal | None) -> str:
    """An amount of money or a price: at least the cents ("10.00", "4.10", "0.0345")."""
    if value is None:
        return "-"
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < -2 else 2
    return f"{value:.{places}f}"


def pct(value: Decimal) -> str:
    return f"{num(value.quantize(Decimal('0.01')))}%"
