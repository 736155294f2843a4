"""The tolerance policy as typed, validated objects.

Semantics, stated once:
- A check with ``enabled = false`` is not performed at all ("no check"); the match detail says so.
- Each side of a check (``upper``: billed more than the reference, ``lower``: less) is either ``"off"``
  (any variance that way is accepted) or a table of limits: ``percent`` of the reference, ``absolute``
  in the check's own unit (quantity for quantity checks, money per unit for price, money otherwise) and
  ``value`` (the variance valued in money, SAP's DQ idea). A limit of 0 is zero tolerance.
- When a side has several limits, exceeding any of them raises the check (the stricter one binds, as
  in SAP tolerance keys and Oracle tolerance templates).
- ``outcome = "warn"`` records the variance without holding the invoice.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.roles import Role

CHECKS: tuple[str, ...] = (
    "price", "qty_ordered", "qty_received", "not_received", "qty_value", "amount_line", "amount_total",
    "charges", "tax", "currency", "arithmetic",
)
KINDS = ("goods", "services")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Side(Strict):
    percent: Decimal | None = Field(None, ge=0)
    absolute: Decimal | None = Field(None, ge=0)
    value: Decimal | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _some_limit(self) -> Side:
        if self.percent is None and self.absolute is None and self.value is None:
            raise ValueError('give percent, absolute or value; write "off" for no limit on this side')
        return self


SideSpec = Literal["off"] | Side


class CheckRule(Strict):
    enabled: bool = True
    outcome: Literal["hold", "warn"] = "hold"
    upper: SideSpec = "off"
    lower: SideSpec = "off"

    def side(self, name: Literal["upper", "lower"]) -> Side | None:
        spec = self.upper if name == "upper" else self.lower
        return None if spec == "off" else spec  # type: ignore[return-value]


class ScopedRule(CheckRule):
    """A rule for one check, for a narrower scope than the defaults in ``[checks]``."""

    check: str
    company: int | None = None
    vendor: int | None = None
    category: str | None = None
    kind: Literal["goods", "services"] | None = None

    @field_validator("check")
    @classmethod
    def _known_check(cls, v: str) -> str:
        if v not in CHECKS:
            raise ValueError(f"unknown check {v!r}; known: {', '.join(CHECKS)}")
        return v

    @model_validator(mode="after")
    def _has_scope(self) -> ScopedRule:
        if self.scope_key() == (None, None, None, None):
            raise ValueError("a rule needs at least one of company, vendor, category, kind "
                             "(defaults for everyone belong in [checks])")
        return self

    def scope_key(self) -> tuple[int | None, int | None, str | None, str | None]:
        return (self.company, self.vendor, self.category.casefold() if self.category else None, self.kind)

    @property
    def specificity(self) -> int:
        # Most specific first: a vendor's own rule beats a category's, which beats goods/services,
        # which beats a company-wide rule; combinations add up.
        return (8 * (self.vendor is not None) + 4 * (self.category is not None) + 2 * (self.kind is not None)
                + (self.company is not None))


class VendorMatching(Strict):
    name_accept: float = Field(85.0, ge=0, le=100)
    name_margin: float = Field(4.0, ge=0, le=100)
    name_consider: float = Field(75.0, ge=0, le=100)


class AutoPost(Strict):
    amount_limit: Decimal | Literal["off"] = Decimal("25000.00")
    currency_limits: dict[str, Decimal] = Field(default_factory=dict)


class Confidence(Strict):
    threshold: float = Field(0.80, ge=0, le=1)
    required: tuple[str, ...] = ("invoice_number", "invoice_date", "total_amount", "currency")
    thresholds: dict[str, float] = Field(default_factory=dict)
    # Line fields (quantity, unit_price, amount) are off unless a threshold is given.
    line_threshold: float | Literal["off"] = "off"

    def for_field(self, name: str) -> float:
        return self.thresholds.get(name, self.threshold)


class VendorLimit(Strict):
    # Applies to vendors whose ERP record has no limit of its own; "off": only per-vendor limits apply.
    default: Decimal | Literal["off"] = "off"


class Audit(Strict):
    sample_rate: float = Field(0.0, ge=0, le=1)
    seed: str = "payables-audit"


class Duplicates(Strict):
    relaxed_days: int = Field(3, ge=0)
    fuzzy_days: int = Field(45, ge=0)


class Anomalies(Strict):
    first_invoice: bool = False
    split_invoices: bool = True
    split_window_days: int = Field(7, ge=0)
    split_margin_percent: Decimal = Field(Decimal(10), ge=0, le=100)
    unusual_amount: bool = True
    unusual_min_history: int = Field(10, ge=3)
    # Robust z-score (median/MAD) of the log of the total above which an amount is unusual.
    unusual_threshold: float = Field(8.0, gt=0)


class SmallDifferences(Strict):
    # Arithmetic and tax differences up to this cap (beyond rounding) are accepted and recorded.
    cap: Decimal = Field(Decimal("0.10"), ge=0)


class ApprovalEntry(Strict):
    role: Role
    above: Decimal | None = Field(None, ge=0)
    category: str | None = None
    site: str | None = None
    company: int | None = None


class Routing(Strict):
    sla_hours: float = Field(48, gt=0)
    sla_hours_by_code: dict[str, float] = Field(default_factory=dict)
    priority_by_code: dict[str, int] = Field(default_factory=dict)


class Policy(Strict):
    version: int = 1
    vendor: VendorMatching = VendorMatching()
    checks: dict[str, CheckRule] = Field(default_factory=dict)
    rules: tuple[ScopedRule, ...] = ()
    auto_post: AutoPost = AutoPost()
    confidence: Confidence = Confidence()
    vendor_limit: VendorLimit = VendorLimit()
    audit: Audit = Audit()
    duplicates: Duplicates = Duplicates()
    anomalies: Anomalies = Anomalies()
    small_differences: SmallDifferences = SmallDifferences()
    approval: tuple[ApprovalEntry, ...] = ()
    routing: Routing = Routing()
    # The same file configures posting; the posting stage validates its own table (erp.posting).
    posting: dict[str, Any] = Field(default_factory=dict)

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, v: dict[str, CheckRule]) -> dict[str, CheckRule]:
        unknown = sorted(set(v) - set(CHECKS))
        if unknown:
            raise ValueError(f"unknown check {unknown[0]!r}; known: {', '.join(CHECKS)}")
        missing = sorted(set(CHECKS) - set(v))
        if missing:
            raise ValueError(f"no rule for {', '.join(missing)}; every check needs one "
                             '(write enabled = false for "no check")')
        return v
