"""Exceptions about the purchase order: none named, none found, closed, another vendor's, another
currency.

A PO-level hold (``PO_NOT_FOUND``, ``PO_CLOSED``, ``PO_VENDOR_MISMATCH``, ``CURRENCY_MISMATCH``) is
built so that the invoice's lines would pass against that order anyway: the expected outcome is the
one code whether or not matching goes on to check lines after it.
"""

from __future__ import annotations

from decimal import Decimal

from models.holds import HoldCode
from synth.document import PoMention
from synth.scenarios.base import EXCEPTION, QUIET, Built, Context, Scenario
from synth.scenarios.shapes import (
    CLEAN_CAP,
    assortment,
    choose,
    expect,
    goods_po,
    invoice_day,
    lines_for,
    make_doc,
    new_order,
    order_day,
    receive_all,
    sized,
)
from synth.scenarios.vendor_holds import _catalogue_lines
from synth.world.profiles import VendorProfile
from synth.world.receipts import cancel_receipts
from synth.world.store import World


def po_missing(ctx: Context) -> Built:
    day = invoice_day(ctx)
    doc = make_doc(ctx, _catalogue_lines(ctx), day, mentions=[])
    return Built(doc, expect(ctx, [HoldCode.PO_MISSING], "No PO number printed, and the vendor has no open "
                                                         "purchase order at all."))


def po_not_found(ctx: Context) -> Built:
    day = invoice_day(ctx)
    ghost = PoMention(style="ghost", literal=None)
    doc = make_doc(ctx, _catalogue_lines(ctx), day, mentions=[ghost])
    return Built(doc, expect(ctx, [HoldCode.PO_NOT_FOUND], "The printed PO number exists nowhere in the ERP "
                                                           "(not even with O/0, I/1 confusions or other padding)."))


def po_closed(ctx: Context) -> Built:
    day = invoice_day(ctx)
    rows = assortment(ctx.world, ctx.vendor, "purchase")
    po = new_order(ctx, sized(ctx, choose(ctx, rows, ctx.rng.randint(1, 4)), Decimal(100), CLEAN_CAP),
                   order_day(ctx, day), state="cancel")
    cancel_receipts(ctx.world, ctx.rng, po)
    quantities = {line.id: line.product_qty for line in ctx.world.lines_of[po.id]}
    doc = make_doc(ctx, lines_for(ctx, po, quantities), day, po=po)
    return Built(doc, expect(ctx, [HoldCode.PO_CLOSED], "Bills a purchase order that was cancelled (its lines "
                                                        "are billed on ordered quantities, so nothing else is off).",
                             details={"po_ids": [po.id]}))


def _partners_alike(world: World, vendor: VendorProfile) -> list[VendorProfile]:
    """General vendors of the same country and currency: same taxes, same money, so only the PO's
    owner differs."""
    index = world.cache.get("alike")
    if index is None:
        index = {}
        for key, profile in world.profiles.items():
            if world.pools.get(key) == "general" and assortment(world, profile):
                index.setdefault((profile.country, profile.currency), []).append(profile)
        world.cache["alike"] = index
    return [p for p in index.get((vendor.country, vendor.currency), []) if p.key != vendor.key]


def po_vendor_mismatch(ctx: Context) -> Built:
    world = ctx.world
    other = ctx.rng.choice(_partners_alike(world, ctx.vendor))
    day = invoice_day(ctx)
    po = new_order(ctx, sized(ctx, choose(ctx, assortment(world, other), ctx.rng.randint(1, 5)), Decimal(100),
                              CLEAN_CAP, vendor=other), order_day(ctx, day), vendor=other)
    receive_all(ctx, po, day)
    lines = lines_for(ctx, po, vendor=ctx.vendor)
    for line in lines:
        line.product_code = None  # the invoicing vendor does not know the other vendor's codes
    doc = make_doc(ctx, lines, day, po=po)
    return Built(doc, expect(ctx, [HoldCode.PO_VENDOR_MISMATCH],
                             "Names (and bills exactly) a purchase order that belongs to another vendor.",
                             details={"po_ids": [po.id], "po_vendor_id": other.key}))


def currency_mismatch(ctx: Context) -> Built:
    day = invoice_day(ctx)
    po = goods_po(ctx, day, Decimal(150), method=None)
    receive_all(ctx, po, day)
    other = ctx.rng.choice([c for c in ("EUR", "USD", "GBP") if c != ctx.vendor.currency])
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po, currency=other)
    return Built(doc, expect(ctx, [HoldCode.CURRENCY_MISMATCH],
                             f"Billed in {other}, while the purchase order is in {ctx.vendor.currency}; the figures "
                             "are the PO's own.", details={"po_ids": [po.id], "po_currency": ctx.vendor.currency,
                                                          "invoice_currency": other}))


SCENARIOS = (
    Scenario("po_missing", EXCEPTION, (HoldCode.PO_MISSING,), "No PO number and no open PO.", po_missing,
             pool=QUIET),
    Scenario("po_not_found", EXCEPTION, (HoldCode.PO_NOT_FOUND,), "A PO number that does not exist.", po_not_found,
             pool=QUIET),
    Scenario("po_closed", EXCEPTION, (HoldCode.PO_CLOSED,), "A cancelled PO.", po_closed,
             fits=lambda w, v: bool(assortment(w, v, "purchase"))),
    Scenario("po_vendor_mismatch", EXCEPTION, (HoldCode.PO_VENDOR_MISMATCH,), "Another vendor's PO.",
             po_vendor_mismatch, fits=lambda w, v: bool(_partners_alike(w, v))),
    Scenario("currency_mismatch", EXCEPTION, (HoldCode.CURRENCY_MISMATCH,), "Invoice currency differs from the PO's.",
             currency_mismatch),
)
