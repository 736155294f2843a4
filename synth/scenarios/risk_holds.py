"""Exceptions that protect money: duplicates, amounts beyond authority, invoices split to stay under
a limit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from models.holds import HoldCode
from synth.scenarios.base import EXCEPTION, Built, Context, Scenario
from synth.scenarios.shapes import (
    CLEAN_CAP,
    assortment,
    choose,
    delivery_day,
    expect,
    gross_unit,
    invoice_day,
    lines_for,
    make_doc,
    new_order,
    order_day,
    receive_all,
    sized,
)
from synth.world.bills import bill_from_order, invoice_slot, manual_bill
from synth.world.orders import OrderItem
from synth.world.receipts import receive
from synth.world.records import PurchaseOrder

AUTO_POST_LIMIT = Decimal(25000)


def _received(ctx: Context, low: Decimal, high: Decimal) -> tuple[date, PurchaseOrder]:
    day = invoice_day(ctx)
    po = new_order(ctx, sized(ctx, choose(ctx, assortment(ctx.world, ctx.vendor)), low, high), order_day(ctx, day))
    receive_all(ctx, po, day)
    return day, po


def duplicate_exact(ctx: Context) -> Built:
    day, po = _received(ctx, Decimal(150), CLEAN_CAP)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    net, tax, _ = doc.amounts
    assert doc.number is not None and not isinstance(doc.number, str)
    bill = manual_bill(ctx.world, ctx.rng, ctx.vendor, day, net, tax, po.company_id, slot=doc.number)
    return Built(doc, expect(ctx, [HoldCode.DUPLICATE_SUSPECTED],
                             "Already in the ERP: a clerk keyed in the paper copy (same invoice number, same "
                             "amount) without the PO link.", duplicate_of=bill.id, allow_same_total=True,
                             details={"po_ids": [po.id]}))


def duplicate_resent(ctx: Context) -> Built:
    day, po = _received(ctx, Decimal(150), CLEAN_CAP)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    net, tax, total = doc.amounts
    earlier = day - timedelta(days=ctx.rng.randint(0, 2))
    bill = manual_bill(ctx.world, ctx.rng, ctx.vendor, earlier, net, tax, po.company_id,
                       slot=invoice_slot(ctx.world, ctx.vendor, earlier))
    return Built(doc, expect(ctx, [HoldCode.DUPLICATE_SUSPECTED],
                             f"Re-issued under a new number: a bill of the same vendor for the same {total}, dated "
                             f"{(day - earlier).days} day(s) earlier, is already in the ERP.", duplicate_of=bill.id,
                             allow_same_total=True, details={"po_ids": [po.id]}))


def over_authority(ctx: Context) -> Built:
    day, po = _received(ctx, Decimal(30000), Decimal(90000))
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    total = doc.amounts[2]
    return Built(doc, expect(ctx, [HoldCode.OVER_AUTHORITY_LIMIT],
                             f"Total {total} {doc.currency} is above the 25,000.00 automatic posting limit.",
                             details={"po_ids": [po.id], "total": str(total)}))


def split_invoice(ctx: Context) -> Built:
    """One order of about 72,000 billed in three invoices each just under the 25,000 limit, a few days apart."""
    world = ctx.world
    day = invoice_day(ctx)
    rows = sorted(ctx.rng.sample([r for r in assortment(world, ctx.vendor)
                                  if 20 <= gross_unit(world, ctx.vendor, r) <= 400], k=3), key=lambda r: r.id)
    items = []
    for row in rows:
        target = Decimal(ctx.rng.randint(23600, 24800))
        items.append(OrderItem(row, (target / gross_unit(world, ctx.vendor, row)).to_integral_value(ROUND_DOWN)))
    po = new_order(ctx, items, day - timedelta(days=ctx.rng.randint(25, 40)))
    lines = world.lines_of[po.id]
    first, second = day - timedelta(days=ctx.rng.randint(4, 6)), day - timedelta(days=ctx.rng.randint(1, 3))
    receive(world, ctx.rng, po, [{line.id: line.product_qty for line in lines}],
            [delivery_day(ctx, po, first)])
    bills = [bill_from_order(world, ctx.rng, ctx.vendor, [(lines[0], lines[0].product_qty)], first),
             bill_from_order(world, ctx.rng, ctx.vendor, [(lines[1], lines[1].product_qty)], second)]
    doc = make_doc(ctx, lines_for(ctx, po, {lines[2].id: lines[2].product_qty}), day, po=po)
    totals = [str(b.amount_total) for b in bills] + [str(doc.amounts[2])]
    return Built(doc, expect(ctx, [HoldCode.SPLIT_INVOICE_SUSPECTED],
                             f"The third of three invoices on one PO within {(day - first).days} days, each just "
                             f"under the 25,000.00 limit ({', '.join(totals)}).",
                             details={"po_ids": [po.id], "earlier_bills": [b.id for b in bills], "totals": totals}))


SCENARIOS = (
    Scenario("duplicate_exact", EXCEPTION, (HoldCode.DUPLICATE_SUSPECTED,),
             "Same vendor and invoice number as a bill already in the ERP.", duplicate_exact),
    Scenario("duplicate_resent", EXCEPTION, (HoldCode.DUPLICATE_SUSPECTED,),
             "Same vendor, total and date as a bill already in the ERP, new number.", duplicate_resent),
    Scenario("over_authority_limit", EXCEPTION, (HoldCode.OVER_AUTHORITY_LIMIT,),
             "Above the automatic posting limit.", over_authority),
    Scenario("split_invoice_suspected", EXCEPTION, (HoldCode.SPLIT_INVOICE_SUSPECTED,),
             "Three invoices on one PO just under the limit within days.", split_invoice,
             fits=lambda w, v: len([r for r in assortment(w, v) if 20 <= gross_unit(w, v, r) <= 400]) >= 3),
)
