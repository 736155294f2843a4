"""Clean invoices of every shape: each must pass matching without a single hold and post on its own."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from synth.amounts import line_amount
from synth.document import DocLine, PoMention
from synth.scenarios.base import CLEAN, Built, Context, Scenario
from synth.scenarios.shapes import (
    CLEAN_CAP,
    assortment,
    choose,
    delivery_day,
    doc_line,
    expect,
    freight_label,
    goods_po,
    invoice_day,
    lines_for,
    make_doc,
    new_order,
    order_day,
    rate_for,
    receive_all,
    sized,
)
from synth.world.bills import bill_from_order
from synth.world.orders import refresh_order
from synth.world.profiles import VendorProfile
from synth.world.receipts import goods_lines, receive
from synth.world.records import PurchaseOrderLine, SupplierInfo
from synth.world.store import World

_HUNDRED = Decimal(100)


def has_goods(world: World, vendor: VendorProfile, n: int = 1) -> bool:
    return len(assortment(world, vendor, "receive")) >= n


def has_on_order(world: World, vendor: VendorProfile) -> bool:
    return bool(assortment(world, vendor, "purchase"))


def single_po(ctx: Context) -> Built:
    day = invoice_day(ctx)
    po = new_order(ctx, sized(ctx, choose(ctx, assortment(ctx.world, ctx.vendor)), Decimal(80), CLEAN_CAP),
                   order_day(ctx, day))
    receive_all(ctx, po, day)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    return Built(doc, expect(ctx, [], "Bills one purchase order in full; everything was received.",
                             details={"po_ids": [po.id]}))


def multi_po(ctx: Context) -> Built:
    day = invoice_day(ctx)
    rows = assortment(ctx.world, ctx.vendor)
    first = new_order(ctx, sized(ctx, choose(ctx, rows, ctx.rng.randint(1, 6)), Decimal(80), CLEAN_CAP / 2),
                      order_day(ctx, day))
    site = ctx.world.site_of_type(first.picking_type_id)
    second = new_order(ctx, sized(ctx, choose(ctx, rows, ctx.rng.randint(1, 6)), Decimal(80), CLEAN_CAP / 2),
                       order_day(ctx, day), site=site)
    for po in (first, second):
        receive_all(ctx, po, day)
    lines = lines_for(ctx, first) + lines_for(ctx, second)
    doc = make_doc(ctx, lines, day, po=first)
    doc.po_mentions = [PoMention(first), PoMention(second)]
    return Built(doc, expect(ctx, [], "One invoice for two purchase orders, both received in full.",
                             details={"po_ids": [first.id, second.id]}))


def partial_receipt(ctx: Context) -> Built:
    day = invoice_day(ctx)
    po = goods_po(ctx, day, Decimal(150))
    lines = goods_lines(ctx.world, po)
    for line in lines:
        if line.product_qty < 2:
            line.product_qty = Decimal(ctx.rng.randint(2, 6))
            line.price_subtotal = line_amount(line.product_qty, line.price_unit)
    delivered = {line.id: max(Decimal(1), (line.product_qty * Decimal(ctx.rng.randint(30, 80)) / _HUNDRED)
                              .quantize(Decimal(1), ROUND_HALF_UP)) for line in lines}
    receive(ctx.world, ctx.rng, po, [delivered], [delivery_day(ctx, po, day)])
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    return Built(doc, expect(ctx, [], "Bills exactly what a partial receipt brought; the rest is on backorder.",
                             details={"po_ids": [po.id]}))


def split_deliveries(ctx: Context) -> Built:
    day = invoice_day(ctx)
    po = goods_po(ctx, day, Decimal(200))
    lines = goods_lines(ctx.world, po)
    parts = ctx.rng.randint(2, 3)
    deliveries: list[dict[int, Decimal]] = [{} for _ in range(parts)]
    for line in lines:
        rest = line.product_qty
        for i in range(parts):
            share = rest if i == parts - 1 else (rest * Decimal(ctx.rng.randint(25, 60)) / _HUNDRED).quantize(
                Decimal(1), ROUND_HALF_UP)
            if share > 0:
                deliveries[i][line.id] = share
            rest -= share
    deliveries = [d for d in deliveries if d]
    days = [delivery_day(ctx, po, day, i, len(deliveries)) for i in range(len(deliveries))]
    receive(ctx.world, ctx.rng, po, deliveries, days)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    return Built(doc, expect(ctx, [], f"Bills a purchase order delivered in {len(deliveries)} receipts.",
                             details={"po_ids": [po.id], "receipts": len(deliveries)}))


def over_delivery(ctx: Context) -> Built:
    day = invoice_day(ctx)
    po = goods_po(ctx, day, Decimal(150))
    lines = goods_lines(ctx.world, po)
    extra = ctx.rng.choice(lines)
    delivered = {line.id: line.product_qty for line in lines}
    delivered[extra.id] += max(Decimal(1), (extra.product_qty / 10).quantize(Decimal(1)))
    receive(ctx.world, ctx.rng, po, [delivered], [delivery_day(ctx, po, day)])
    quantities = {line.id: line.product_qty for line in ctx.world.lines_of[po.id]}
    doc = make_doc(ctx, lines_for(ctx, po, quantities), day, po=po)
    return Built(doc, expect(ctx, [], "The vendor over-delivered one line but bills only what was ordered.",
                             details={"po_ids": [po.id], "over_delivered_line": extra.id}))


def partial_billing(ctx: Context) -> Built:
    day = invoice_day(ctx)
    po = goods_po(ctx, day, Decimal(300))
    receive_all(ctx, po, day - timedelta(days=12))
    lines = ctx.world.lines_of[po.id]
    first: list[tuple[PurchaseOrderLine, Decimal]] = []
    for line in lines:
        if line.product_qty >= 2:
            # Less than half first, so the two bills never come to the same total by symmetry.
            share = Decimal(ctx.rng.randint(25, 45)) / 100
            first.append((line, max(Decimal(1), (line.product_qty * share).quantize(Decimal(1), ROUND_HALF_UP))))
    if not first:
        first = [(lines[0], lines[0].product_qty)] if len(lines) > 1 else []
    earlier = None
    if first:
        earlier = bill_from_order(ctx.world, ctx.rng, ctx.vendor, first, day - timedelta(days=ctx.rng.randint(6, 11)))
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    return Built(doc, expect(ctx, [], "Bills the rest of a purchase order part of which an earlier bill covered.",
                             details={"po_ids": [po.id], "earlier_bill": earlier.id if earlier else None}))


def services(ctx: Context) -> Built:
    day = invoice_day(ctx)
    rows = assortment(ctx.world, ctx.vendor, "purchase")
    po = new_order(ctx, sized(ctx, choose(ctx, rows), Decimal(100), CLEAN_CAP), order_day(ctx, day))
    receive_all(ctx, po, day)  # on-order goods (catering) are still delivered; services have no receipts
    share = ctx.rng.choice((Decimal(1), Decimal("0.5")))
    quantities = {}
    for line in ctx.world.lines_of[po.id]:
        qty = (line.product_qty * share).quantize(Decimal(1), ROUND_HALF_UP)
        quantities[line.id] = max(Decimal(1), qty)
    doc = make_doc(ctx, lines_for(ctx, po, quantities), day, po=po)
    part = "in full" if share == 1 else "for the first half of the period"
    return Built(doc, expect(ctx, [], f"Services billed on ordered quantities (two-way match), {part}.",
                             details={"po_ids": [po.id]}))


def _convertible(world: World, vendor: VendorProfile) -> list[SupplierInfo]:
    return [r for r in assortment(world, vendor) if world.uom(world.product(r.product_id).uom_po_id).factor_inv > 1
            or world.uom(world.product(r.product_id).uom_po_id).name == "Hours"]


def uom_conversion(ctx: Context) -> Built:
    day = invoice_day(ctx)
    world = ctx.world
    convertible = _convertible(world, ctx.vendor)
    target = ctx.rng.choice(convertible)
    others = [r for r in assortment(world, ctx.vendor) if r.id != target.id]
    rows = sorted([target, *choose(ctx, others, ctx.rng.randint(0, 4))], key=lambda r: r.id) if others else [target]
    po = new_order(ctx, sized(ctx, rows, Decimal(100), CLEAN_CAP), order_day(ctx, day))
    for line in world.lines_of[po.id]:
        if line.product_id == target.product_id and world.uom(line.product_uom).name == "Hours":
            # Billed in days of eight hours: order whole days.
            line.product_qty = 8 * max(Decimal(1), (line.product_qty / 8).quantize(Decimal(1), ROUND_HALF_UP))
            line.price_subtotal = line_amount(line.product_qty, line.price_unit)
    refresh_order(world, po)
    receive_all(ctx, po, day)
    lines = []
    converted = None
    for line in world.lines_of[po.id]:
        qty = line.product_qty
        doc_l = doc_line(ctx, line, qty)
        if line.product_id == target.product_id:
            uom = world.uom(line.product_uom)
            if uom.name == "Hours":
                doc_l = DocLine(doc_l.description, qty / 8, "Days", line.price_unit * 8, doc_l.amount, doc_l.tax_rate,
                                doc_l.product_code, line.id)
            elif uom.factor_inv > 1:
                size = uom.factor_inv
                doc_l = DocLine(doc_l.description, qty * size, "Units", line.price_unit / size, doc_l.amount,
                                doc_l.tax_rate, doc_l.product_code, line.id)
            converted = line.id
        lines.append(doc_l)
    doc = make_doc(ctx, lines, day, po=po)
    return Built(doc, expect(ctx, [], "One line is billed in a different unit of measure than ordered "
                                      "(e.g. units instead of boxes of 100); the amounts agree.",
                             details={"po_ids": [po.id], "converted_line": converted}))


def freight_within(ctx: Context) -> Built:
    day = invoice_day(ctx)
    po = goods_po(ctx, day, Decimal(400))
    receive_all(ctx, po, day)
    lines = lines_for(ctx, po)
    net = sum((line.amount for line in lines), Decimal(0))
    # Inside "5% of net or 100.00" read either way: at most 60% of the smaller of the two.
    limit = min(net * Decimal("0.05"), Decimal(100)) * Decimal(ctx.rng.randint(30, 60)) / _HUNDRED
    charge = max(Decimal("4.50"), (limit * 2).quantize(Decimal(1)) / 2).quantize(Decimal("0.01"))
    rate = Decimal(19) if ctx.vendor.country == "DE" else Decimal(0)
    lines.append(DocLine(freight_label(ctx.vendor.language), Decimal(1), "Units", charge, charge, rate, None, None,
                         "freight"))
    doc = make_doc(ctx, lines, day, po=po)
    return Built(doc, expect(ctx, [], f"Adds freight of {charge} (not on the PO) to a net of {net}: inside the "
                                      "freight tolerance.", details={"po_ids": [po.id], "freight": str(charge)}))


def po_freight(ctx: Context) -> Built:
    day = invoice_day(ctx)
    rows = choose(ctx, assortment(ctx.world, ctx.vendor, "receive") or assortment(ctx.world, ctx.vendor))
    freight = Decimal(ctx.rng.randint(15, 95))
    po = new_order(ctx, sized(ctx, rows, Decimal(150), CLEAN_CAP), order_day(ctx, day), freight=freight)
    receive_all(ctx, po, day)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    return Built(doc, expect(ctx, [], "Bills a purchase order that carries its own freight line.",
                             details={"po_ids": [po.id]}))


def credit_note(ctx: Context) -> Built:
    world = ctx.world
    day = invoice_day(ctx)
    billed_on = day - timedelta(days=ctx.rng.randint(15, 40))
    po = goods_po(ctx, billed_on, Decimal(300))
    receive_all(ctx, po, billed_on)
    lines = world.lines_of[po.id]
    bill = bill_from_order(world, ctx.rng, ctx.vendor, [(line, line.product_qty) for line in lines], billed_on)
    picked = ctx.rng.sample(lines, k=min(len(lines), ctx.rng.randint(1, 2)))
    prefix = {"de": ("Preiskorrektur", "Transportschaden"), "en": ("Price correction", "Damaged in transit"),
              "fr": ("Correction de prix", "Avarie de transport"), "it": ("Rettifica prezzo", "Danno da trasporto"),
              "es": ("Corrección de precio", "Daños en transporte"), "nl": ("Prijscorrectie", "Transportschade")}
    credit_lines = []
    for line in picked:
        base = doc_line(ctx, line, line.product_qty)
        if ctx.rng.random() < 0.5:
            unit = (line.price_unit * Decimal(ctx.rng.randint(3, 10)) / _HUNDRED).quantize(Decimal("0.01"))
            unit = max(unit, Decimal("0.01"))
            label, qty = prefix[ctx.vendor.language][0], line.product_qty
        else:
            unit, qty = line.price_unit, max(Decimal(1), (line.product_qty / 5).quantize(Decimal(1)))
            label = prefix[ctx.vendor.language][1]
        credit_lines.append(DocLine(f"{label}: {base.description}", qty, base.unit, unit, line_amount(qty, unit),
                                    base.tax_rate, base.product_code, None))
    doc = make_doc(ctx, credit_lines, day, po=po, mentions=[])
    doc.document_type = "credit_note"
    doc.credit_note_ref = world.ref_slots[bill.id]
    return Built(doc, expect(ctx, [], "A credit note that names the posted bill it corrects.",
                             credit_note_for=bill.id, details={"po_ids": [po.id], "credited_lines": [
                                 {"invoice_line": i, "po_line_id": line.id} for i, line in enumerate(picked)]}))


def multipage(ctx: Context) -> Built:
    day = invoice_day(ctx)
    rows = assortment(ctx.world, ctx.vendor)
    po = new_order(ctx, sized(ctx, choose(ctx, rows, ctx.rng.randint(26, 40)), Decimal(2000), CLEAN_CAP),
                   order_day(ctx, day))
    receive_all(ctx, po, day)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    return Built(doc, expect(ctx, [], f"A long invoice ({len(doc.lines)} lines) running over several pages.",
                             details={"po_ids": [po.id]}))


def mixed_rates(ctx: Context) -> Built:
    day = invoice_day(ctx)
    world = ctx.world
    rows = assortment(world, ctx.vendor)
    reduced = [r for r in rows if rate_for(world, ctx.vendor, r) == 7]
    standard = [r for r in rows if rate_for(world, ctx.vendor, r) == 19]
    picked = sorted(choose(ctx, reduced, ctx.rng.randint(1, 2)) + choose(ctx, standard, ctx.rng.randint(1, 5)),
                    key=lambda r: r.id)
    po = new_order(ctx, sized(ctx, picked, Decimal(100), CLEAN_CAP), order_day(ctx, day))
    receive_all(ctx, po, day)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    return Built(doc, expect(ctx, [], "Lines at 19% and at 7% VAT, with a tax line per rate.",
                             details={"po_ids": [po.id]}))


def _mixed_fit(world: World, vendor: VendorProfile) -> bool:
    rates = {rate_for(world, vendor, r) for r in assortment(world, vendor)}
    return vendor.country == "DE" and {Decimal(7), Decimal(19)} <= rates


SCENARIOS = (
    Scenario("clean_single_po", CLEAN, (), "One PO billed in full after full receipt.", single_po),
    Scenario("clean_multi_po", CLEAN, (), "One invoice covering two POs of the vendor.", multi_po),
    Scenario("clean_partial_receipt", CLEAN, (), "Partial billing of a partial receipt.", partial_receipt,
             fits=has_goods),
    Scenario("clean_split_deliveries", CLEAN, (), "A PO received in several deliveries, billed once.",
             split_deliveries, fits=has_goods),
    Scenario("clean_over_delivery", CLEAN, (), "Over-delivered, but billed as ordered.", over_delivery,
             fits=has_goods),
    Scenario("clean_partial_billing", CLEAN, (), "The second bill of a PO, after an earlier partial bill.",
             partial_billing, fits=has_goods),
    Scenario("clean_services", CLEAN, (), "Services billed on ordered quantities (two-way).", services,
             fits=has_on_order),
    Scenario("clean_uom_conversion", CLEAN, (), "Billed in units where the PO orders boxes (or days vs hours).",
             uom_conversion, fits=lambda w, v: bool(_convertible(w, v))),
    Scenario("clean_freight", CLEAN, (), "Freight not on the PO, within the freight tolerance.", freight_within,
             fits=has_goods),
    Scenario("clean_po_freight", CLEAN, (), "Freight billed against the PO's own freight line.", po_freight),
    Scenario("clean_credit_note", CLEAN, (), "A credit note against a posted bill.", credit_note,
             fits=has_goods),
    Scenario("clean_multipage", CLEAN, (), "Line items running over several pages.", multipage,
             fits=lambda w, v: len(assortment(w, v)) >= 26),
    Scenario("clean_mixed_tax_rates", CLEAN, (), "Two VAT rates on one invoice.", mixed_rates, fits=_mixed_fit),
)
