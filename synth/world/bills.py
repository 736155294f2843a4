"""Vendor bills already in Odoo (``account.move``): the history that duplicate detection, vendor
statistics and "already billed" quantities rest on.

A bill created from a PO carries its lines' quantities into ``qty_invoiced`` (draft bills count too,
as in Odoo; cancelled ones do not). A bill keyed in by hand, without the PO, leaves ``qty_invoiced``
alone: the classic way a paper copy and the e-mailed PDF both end up paid.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from synth.amounts import line_amount, tax_groups, totals
from synth.world.numbering import Slot
from synth.world.orders import line_rate, refresh_order, stamp
from synth.world.profiles import VendorProfile
from synth.world.records import Bill, PurchaseOrderLine
from synth.world.store import World


def invoice_slot(world: World, vendor: VendorProfile, day: date) -> Slot:
    """A place in the vendor's own invoice numbering."""
    return world.numbers.slot(vendor.sequence, day)


def bill_from_order(world: World, rng: random.Random, vendor: VendorProfile,
                    billed: list[tuple[PurchaseOrderLine, Decimal]], day: date, *, state: str = "posted",
                    move_type: str = "in_invoice", slot: Slot | None = None) -> Bill:
    groups = tax_groups((line_amount(q, line.price_unit), line_rate(world, line)) for line, q in billed)
    untaxed, tax, total = totals(groups)
    bill = _bill(world, rng, vendor, day, untaxed, tax, total, state, move_type, slot,
                 company_id=world.order(billed[0][0].order_id).company_id)
    bill.billed = [(line.id, q) for line, q in billed]
    if state != "cancel":
        sign = -1 if move_type == "in_refund" else 1
        orders = set()
        for line, q in billed:
            line.qty_invoiced += sign * q
            line.write_date = bill.write_date
            orders.add(line.order_id)
        for order_id in sorted(orders):
            refresh_order(world, world.order(order_id))
    return bill


def manual_bill(world: World, rng: random.Random, vendor: VendorProfile, day: date, untaxed: Decimal,
                tax: Decimal, company_id: int, *, slot: Slot | None = None, move_type: str = "in_invoice") -> Bill:
    return _bill(world, rng, vendor, day, untaxed, tax, untaxed + tax, "posted", move_type, slot, company_id)


def _bill(world: World, rng: random.Random, vendor: VendorProfile, day: date, untaxed: Decimal, tax: Decimal,
          total: Decimal, state: str, move_type: str, slot: Slot | None, company_id: int) -> Bill:
    posted = stamp(min(day + timedelta(days=rng.randint(1, 6)), world.today - timedelta(days=1)), rng)
    bill = Bill(
        id=world.next_id("account.move"), name="", move_type=move_type, partner_id=vendor.key, ref="",
        invoice_date=day, invoice_date_due=day + timedelta(days=vendor.payment_days), amount_untaxed=untaxed,
        amount_tax=tax, amount_total=total, currency_id=world.currency_id(vendor.currency), state=state,
        company_id=company_id, invoice_origin=None, write_date=posted)
    world.bills.append(bill)
    world.bills_of[vendor.key].append(bill)
    world.ref_slots[bill.id] = slot or invoice_slot(world, vendor, day)
    return bill
