"""A vendor's past: orders that were received, billed and closed months ago.

Matching judges an invoice against the vendor's history (a first invoice, an amount far outside the
usual), so every vendor that sends an invoice has a history whose bills bracket the new invoice's
total, a little below and a little above it: a clean invoice is then never the vendor's first nor
unusual, and those holds only appear where a scenario asks for them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from synth.world.bills import bill_from_order
from synth.world.orders import OrderItem, create_order
from synth.world.profiles import VendorProfile
from synth.world.receipts import receive
from synth.world.records import Bill
from synth.world.store import World


def past_order(world: World, rng: random.Random, vendor: VendorProfile, target: Decimal, day: date) -> Bill:
    """A closed order whose bill totals roughly ``target`` (gross), received and billed in full."""
    assortment = world.assortment[vendor.key]
    count = rng.randint(1, 5)
    # Products cheap enough that whole quantities land within a few percent of the target.
    fine = [r for r in assortment if _gross(world, vendor, r.product_id, r.price) * 5 * count <= target]
    chosen = rng.sample(fine, k=min(len(fine), count)) if fine else [min(assortment, key=lambda r: r.price)]
    share = target / len(chosen)
    items = []
    for info in chosen:
        gross_unit = info.price * (1 + _rate_guess(world, vendor, info.product_id) / 100)
        quantity = max(Decimal(1), (share / gross_unit).quantize(Decimal(1), ROUND_HALF_UP))
        items.append(OrderItem(info, quantity))
    po = create_order(world, rng, vendor, items, day)
    lines = world.lines_of[po.id]
    receive(world, rng, po, [{line.id: line.product_qty for line in lines}], [day + timedelta(days=rng.randint(2, 9))])
    bill = bill_from_order(world, rng, vendor, [(line, line.product_qty) for line in lines],
                           day + timedelta(days=rng.randint(10, 20)))
    po.state = "done"
    return bill


def _gross(world: World, vendor: VendorProfile, product_id: int, price: Decimal) -> Decimal:
    return price * (1 + _rate_guess(world, vendor, product_id) / 100)


def _rate_guess(world: World, vendor: VendorProfile, product_id: int) -> Decimal:
    if vendor.country != "DE":
        return Decimal(0)
    return Decimal(7) if world.items[product_id].reduced else Decimal(19)


def build_history(world: World, rng: random.Random, vendor: VendorProfile, new_totals: list[Decimal]) -> None:
    targets: list[Decimal] = []
    for total in new_totals:
        targets.append(total * Decimal(rng.randint(72, 88)) / 100)
        targets.append(total * Decimal(rng.randint(112, 130)) / 100)
    typical = Decimal(rng.choice((300, 800, 1500, 4000)))
    for _ in range(rng.randint(2, 4) if new_totals else rng.randint(3, 6)):
        targets.append(typical * Decimal(rng.randint(40, 250)) / 100)
    for target in targets:
        day = world.today - timedelta(days=rng.randint(60, 420))
        past_order(world, rng, vendor, target, day)

