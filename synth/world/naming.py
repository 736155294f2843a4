"""Names and numbers dealt out in date order once the world is complete (see ``numbering``): PO names,
receipt names per site, bill names, and every vendor's invoice numbers."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import partial

from synth.seeds import rng
from synth.world.profiles import VendorProfile
from synth.world.records import Picking
from synth.world.store import World


def vendor_number(profile: VendorProfile, n: int, day: date) -> str:
    return profile.numbering.format(n=n, year=day.year, yy=f"{day.year % 100:02d}")


def assign_names(world: World, profiles: dict[int, VendorProfile]) -> None:
    for n, po in enumerate(sorted(world.orders, key=lambda p: (p.date_order, p.id)), start=1):
        po.name = f"P{n:05d}"
    by_site: dict[int, list[Picking]] = defaultdict(list)
    for picking in world.pickings:
        by_site[picking.picking_type_id].append(picking)
    for type_id, pickings in by_site.items():
        code = world.site_of_type(type_id).code
        for n, picking in enumerate(sorted(pickings, key=lambda p: (p.scheduled_date, p.id)), start=1):
            picking.name = f"{code}/IN/{n:05d}"
            picking.origin = world.order(picking.purchase_id).name
    counters: dict[tuple[str, int], int] = defaultdict(int)
    line_order = {line.id: line.order_id for line in world.order_lines}
    for bill in sorted(world.bills, key=lambda b: (b.invoice_date, b.id)):
        prefix = "RBILL" if bill.move_type == "in_refund" else "BILL"
        counters[(prefix, bill.invoice_date.year)] += 1
        bill.name = f"{prefix}/{bill.invoice_date.year}/{counters[(prefix, bill.invoice_date.year)]:05d}"
        if bill.billed:
            orders = sorted({world.order(line_order[lid]).name for lid, _ in bill.billed})
            bill.invoice_origin = ", ".join(orders)
    for sequence in world.numbers.sequences():
        key = int(sequence.split(":", 1)[1])
        profile = profiles[key]
        numbering_rng = rng(world.seed, "numbering", key)
        # Other customers' invoices fall between ours: a busy vendor's numbers jump further.
        gap = numbering_rng.choice((1, 3, 12, 40))
        world.numbers.assign(sequence, profile.number_start, partial(vendor_number, profile), numbering_rng,
                             max_gap=gap)
    for bill in world.bills:
        bill.ref = str(world.ref_slots[bill.id])
        bill.payment_reference = bill.ref
