"""What a scenario is: a named way an invoice meets the ERP, the holds it must raise, and the
function that builds the world around it and the invoice itself."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from models.holds import HoldCode
from synth.document import InvoiceDoc
from synth.world.profiles import VendorProfile
from synth.world.store import World

CLEAN, NOISY, EXCEPTION = "clean", "noisy", "exception"
GROUPS = (CLEAN, NOISY, EXCEPTION)

# Vendor pools. Most scenarios share the general vendors; a few need vendors kept apart so that their
# expected outcome holds whatever else the world contains.
GENERAL = "general"  # any number of scenarios, plus background open orders
QUIET = "quiet"  # no open orders at all (a PO-less invoice can only be PO_MISSING)
SINGLE = "single"  # exactly one open order, owned by one scenario instance
LIMITED = "limited"  # carries an invoice amount limit in the ERP
TWINS = "twins"  # recorded twice in the ERP (duplicate master data)
UNKNOWN = "unknown"  # not in the ERP at all


@dataclass
class Expected:
    holds: list[HoldCode]
    vendor_id: int | None
    note: str
    vendor_candidates: list[int] = field(default_factory=list)
    credit_note_for: int | None = None  # the bill a credit note credits
    duplicate_of: int | None = None  # the bill an invoice duplicates
    details: dict[str, Any] = field(default_factory=dict)
    allow_same_total: bool = False  # a duplicate's bill shares its total on purpose


@dataclass
class Built:
    doc: InvoiceDoc
    expected: Expected


@dataclass
class Context:
    world: World
    rng: random.Random
    vendor: VendorProfile
    invoice_id: str
    seed: int
    other_vendors: list[VendorProfile] = field(default_factory=list)  # for scenarios that need a second vendor
    twin_id: int | None = None

    @property
    def today(self) -> date:
        return self.world.today


@dataclass(frozen=True)
class Scenario:
    name: str
    group: str
    holds: tuple[HoldCode, ...]
    summary: str
    build: Callable[[Context], Built]
    pool: str = GENERAL
    fits: Callable[[World, VendorProfile], bool] = lambda world, vendor: True
    # Renderings that cannot carry this scenario (an e-invoice always has an invoice number) or that
    # alone can (the mismatch between a Factur-X's XML and its page).
    excludes: frozenset[str] = frozenset()
    only: frozenset[str] | None = None
