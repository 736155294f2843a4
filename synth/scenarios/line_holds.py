"""Exceptions in the lines: an extra item, too many, not received, too dear, adding up to too much,
wrong tax.

Each deliberate difference sits on one low-value line, so that its side effect on the invoice total
stays at most 4.50 (tax included) on invoices of at least 1,500.00: far inside the amount tolerance
("1% or 10.00", either reading), and the invoice raises only the line's own code. Quantities over
what was ordered or received are over by at least 10%.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from models.holds import HoldCode
from synth.document import DocLine
from synth.scenarios.base import EXCEPTION, Built, Context, Scenario
from synth.scenarios.shapes import (
    SMALL_EFFECT,
    assortment,
    cheap,
    choose,
    delivery_day,
    doc_line,
    expect,
    freight_label,
    invoice_day,
    lines_for,
    make_doc,
    new_order,
    order_day,
    rate_for,
    receive_all,
    sized,
)
from synth.world.orders import OrderItem
from synth.world.profiles import VendorProfile
from synth.world.receipts import goods_lines, receive
from synth.world.records import PurchaseOrder, SupplierInfo
from synth.world.store import World

FLOOR, CEILING = Decimal(1500), Decimal(15000)
_EXTRAS = {"de": ("Musterset, sortiert", "Transportbox, wiederverwendbar", "Produktkatalog 2025"),
           "en": ("Sample kit, assorted", "Reusable transport box", "Product catalogue 2025"),
           "fr": ("Kit d'échantillons", "Caisse de transport réutilisable", "Catalogue produits 2025"),
           "it": ("Kit campioni assortiti", "Contenitore di trasporto", "Catalogo prodotti 2025"),
           "es": ("Kit de muestras", "Caja de transporte reutilizable", "Catálogo de productos 2025"),
           "nl": ("Monsterset, assorti", "Herbruikbare transportbox", "Productcatalogus 2025")}


def _order_with(ctx: Context, special: SupplierInfo, quantity: Decimal, day: date,
                method: str | None = None) -> PurchaseOrder:
    """A PO of at least 1,500.00 whose other lines are ordinary, plus ``special`` at ``quantity``."""
    world = ctx.world
    others = [r for r in assortment(world, ctx.vendor, method) if r.id != special.id] or \
             [r for r in assortment(world, ctx.vendor) if r.id != special.id]
    items = sized(ctx, choose(ctx, others, ctx.rng.randint(1, 6)), FLOOR, CEILING)
    items.append(OrderItem(special, quantity))
    items.sort(key=lambda i: i.info.id)
    return new_order(ctx, items, order_day(ctx, day))


def line_unmatched(ctx: Context) -> Built:
    day = invoice_day(ctx)
    po = new_order(ctx, sized(ctx, choose(ctx, assortment(ctx.world, ctx.vendor), ctx.rng.randint(1, 8)), FLOOR,
                              CEILING), order_day(ctx, day))
    receive_all(ctx, po, day)
    lines = lines_for(ctx, po)
    rate = Decimal(19) if ctx.vendor.country == "DE" else Decimal(0)
    price = Decimal(ctx.rng.randint(200, 370)) / 100  # with 19% VAT at most 4.40
    extra = DocLine(ctx.rng.choice(_EXTRAS[ctx.vendor.language]), Decimal(1), "Units", price, price, rate)
    lines.insert(ctx.rng.randint(1, len(lines)), extra)
    doc = make_doc(ctx, lines, day, po=po)
    return Built(doc, expect(ctx, [HoldCode.LINE_UNMATCHED], f"One line ('{extra.description}', {price}) is on no "
                                                             "purchase order.", details={"po_ids": [po.id]}))


def qty_over_ordered(ctx: Context) -> Built:
    world = ctx.world
    two_way = bool(cheap(world, ctx.vendor, "purchase")) and (
        not cheap(world, ctx.vendor, "receive") or ctx.rng.random() < 0.5)
    special = ctx.rng.choice(cheap(world, ctx.vendor, "purchase" if two_way else "receive"))
    ordered = Decimal(ctx.rng.randint(8, 10))
    day = invoice_day(ctx)
    po = _order_with(ctx, special, ordered, day)
    target = next(line for line in world.lines_of[po.id] if line.product_id == special.product_id)
    goods = goods_lines(world, po)
    if goods:
        delivered = {line.id: line.product_qty for line in goods}
        if not two_way:
            delivered[target.id] = ordered + 1  # over-delivered at the dock, and billed as delivered
        receive(world, ctx.rng, po, [delivered], [delivery_day(ctx, po, day)])
    quantities = {line.id: line.product_qty for line in world.lines_of[po.id]}
    quantities[target.id] = ordered + 1
    doc = make_doc(ctx, lines_for(ctx, po, quantities), day, po=po)
    how = "a two-way (billed on order) line" if two_way else "a line over-delivered by one and billed as delivered"
    return Built(doc, expect(ctx, [HoldCode.QTY_OVER_ORDERED], f"Bills {ordered + 1} on {how} ordered {ordered}.",
                             details={"po_ids": [po.id], "po_line_id": target.id, "billed": str(ordered + 1),
                                      "ordered": str(ordered)}))


def qty_over_received(ctx: Context) -> Built:
    world = ctx.world
    special = ctx.rng.choice(cheap(world, ctx.vendor, "receive"))
    ordered = Decimal(ctx.rng.randint(8, 10))
    day = invoice_day(ctx)
    po = _order_with(ctx, special, ordered, day, "receive")
    target = next(line for line in world.lines_of[po.id] if line.product_id == special.product_id)
    delivered = {line.id: line.product_qty for line in goods_lines(world, po)}
    delivered[target.id] = ordered - 1
    receive(world, ctx.rng, po, [delivered], [delivery_day(ctx, po, day)])
    quantities = {line.id: line.product_qty for line in world.lines_of[po.id]}
    doc = make_doc(ctx, lines_for(ctx, po, quantities), day, po=po)
    return Built(doc, expect(ctx, [HoldCode.QTY_OVER_RECEIVED],
                             f"Bills {ordered} as ordered, but only {ordered - 1} were received (1 over).",
                             details={"po_ids": [po.id], "po_line_id": target.id, "billed": str(ordered),
                                      "received": str(ordered - 1)}))


def not_received(ctx: Context) -> Built:
    world = ctx.world
    special = ctx.rng.choice(cheap(world, ctx.vendor, "receive"))
    day = invoice_day(ctx)
    po = _order_with(ctx, special, Decimal(1), day, "receive")
    target = next(line for line in world.lines_of[po.id] if line.product_id == special.product_id)
    delivered = {line.id: line.product_qty for line in goods_lines(world, po) if line.id != target.id}
    if delivered:
        receive(world, ctx.rng, po, [delivered], [delivery_day(ctx, po, day)])
    else:
        receive(world, ctx.rng, po, [], [])
    quantities = {line.id: line.product_qty for line in world.lines_of[po.id]}
    doc = make_doc(ctx, lines_for(ctx, po, quantities), day, po=po)
    return Built(doc, expect(ctx, [HoldCode.NOT_RECEIVED], "One line is billed although nothing of it has been "
                                                           "received yet (it waits on a backorder).",
                             details={"po_ids": [po.id], "po_line_id": target.id}))


def price_variance(ctx: Context) -> Built:
    world = ctx.world
    rows = [r for r in assortment(world, ctx.vendor) if Decimal(1) <= r.price <= Decimal(35)]
    special = ctx.rng.choice(rows)
    pct = Decimal(ctx.rng.randint(6, 10))
    billed_price = (special.price * (100 + pct) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    step = (billed_price - special.price) * (1 + rate_for(world, ctx.vendor, special) / 100)
    quantity = max(Decimal(1), (SMALL_EFFECT / step).to_integral_value(ROUND_DOWN))
    day = invoice_day(ctx)
    po = _order_with(ctx, special, quantity, day)
    receive_all(ctx, po, day)
    target = next(line for line in world.lines_of[po.id] if line.product_id == special.product_id)
    lines = []
    for line in world.lines_of[po.id]:
        price = billed_price if line.id == target.id else None
        lines.append(doc_line(ctx, line, line.product_qty, price=price))
    doc = make_doc(ctx, lines, day, po=po)
    actual = (billed_price / special.price - 1) * 100
    return Built(doc, expect(ctx, [HoldCode.PRICE_VARIANCE],
                             f"Unit price {billed_price} against {special.price} on the PO: "
                             f"{actual.quantize(Decimal('0.1'))}% over, tolerance 2%.",
                             details={"po_ids": [po.id], "po_line_id": target.id, "billed_price": str(billed_price),
                                      "po_price": str(special.price)}))


def amount_variance(ctx: Context) -> Built:
    world = ctx.world
    rows = [r for r in assortment(world, ctx.vendor) if r.price >= Decimal(20)]
    day = invoice_day(ctx)
    po = new_order(ctx, sized(ctx, choose(ctx, rows, ctx.rng.randint(2, 8)), Decimal(2000), CEILING),
                   order_day(ctx, day))
    receive_all(ctx, po, day)
    lines = []
    for line in world.lines_of[po.id]:
        # 1.5% on every line: each inside the 2% price tolerance, the total clearly outside 1%.
        price = (line.price_unit * Decimal("1.015")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        lines.append(doc_line(ctx, line, line.product_qty, price=price))
    doc = make_doc(ctx, lines, day, po=po)
    po_net = sum((line.price_subtotal for line in world.lines_of[po.id]), Decimal(0))
    net = doc.amounts[0]
    return Built(doc, expect(ctx, [HoldCode.AMOUNT_VARIANCE],
                             f"Every unit price is 1.5% above the PO (each within the 2% price tolerance); the "
                             f"net {net} exceeds the {po_net} the order explains by {net - po_net}.",
                             details={"po_ids": [po.id], "po_net": str(po_net), "invoice_net": str(net)}))


def freight_over(ctx: Context) -> Built:
    day = invoice_day(ctx)
    rows = assortment(ctx.world, ctx.vendor, "receive") or assortment(ctx.world, ctx.vendor)
    po = new_order(ctx, sized(ctx, choose(ctx, rows, ctx.rng.randint(1, 6)), Decimal(800), CEILING),
                   order_day(ctx, day))
    receive_all(ctx, po, day)
    lines = lines_for(ctx, po)
    net = sum((line.amount for line in lines), Decimal(0))
    # Outside "5% of net or 100.00" read either way: at least 1.6 times the larger of the two.
    allowed = max(net * Decimal("0.05"), Decimal(100))
    charge = (allowed * Decimal(ctx.rng.randint(160, 220)) / 100).quantize(Decimal(1)).quantize(Decimal("0.01"))
    rate = Decimal(19) if ctx.vendor.country == "DE" else Decimal(0)
    lines.append(DocLine(freight_label(ctx.vendor.language), Decimal(1), "Units", charge, charge, rate, None, None,
                         "freight"))
    doc = make_doc(ctx, lines, day, po=po)
    return Built(doc, expect(ctx, [HoldCode.AMOUNT_VARIANCE],
                             f"Freight of {charge} not on the PO, against at most {allowed.quantize(Decimal('0.01'))} "
                             "the freight tolerance accepts.", details={"po_ids": [po.id], "freight": str(charge)}))


def tax_mismatch(ctx: Context) -> Built:
    world = ctx.world
    rows = [r for r in assortment(world, ctx.vendor) if r.price <= Decimal(35)]
    special = ctx.rng.choice(rows)
    quantity = Decimal(max(1, math.floor(Decimal(35) / special.price)))
    day = invoice_day(ctx)
    po = _order_with(ctx, special, quantity, day)
    receive_all(ctx, po, day)
    target = next(line for line in world.lines_of[po.id] if line.product_id == special.product_id)
    lines = [doc_line(ctx, line, line.product_qty) for line in world.lines_of[po.id]]
    index = world.lines_of[po.id].index(target)
    right = lines[index].tax_rate
    wrong = Decimal(19) if right == 7 else Decimal(7)
    lines[index].tax_rate = wrong
    doc = make_doc(ctx, lines, day, po=po)
    diff = (lines[index].amount * abs(wrong - right) / 100).quantize(Decimal("0.01"))
    return Built(doc, expect(ctx, [HoldCode.TAX_MISMATCH],
                             f"One line charges {wrong}% VAT where the PO's tax code is {right}% "
                             f"({diff} of tax).", details={"po_ids": [po.id], "po_line_id": target.id,
                                                         "po_rate": str(right), "invoice_rate": str(wrong)}))


def _has_cheap(method: str) -> Callable[[World, VendorProfile], bool]:
    return lambda w, v: bool(cheap(w, v, method)) and len(assortment(w, v)) >= 2


def _tax_fit(world: World, vendor: VendorProfile) -> bool:
    # With a unit price up to 35.00 and as many units as fit into 35.00, the line's net lies between
    # 17.50 and 35.00: the wrong rate moves the tax by 2.10 to 4.20.
    return vendor.country == "DE" and len(assortment(world, vendor)) >= 2 and any(
        r.price <= Decimal(35) for r in assortment(world, vendor))


SCENARIOS = (
    Scenario("line_unmatched", EXCEPTION, (HoldCode.LINE_UNMATCHED,), "A line on no PO.", line_unmatched),
    Scenario("qty_over_ordered", EXCEPTION, (HoldCode.QTY_OVER_ORDERED,), "Billed more than ordered.",
             qty_over_ordered, fits=lambda w, v: (bool(cheap(w, v, "purchase")) or bool(cheap(w, v, "receive")))
             and len(assortment(w, v)) >= 2),
    Scenario("qty_over_received", EXCEPTION, (HoldCode.QTY_OVER_RECEIVED,), "Billed more than received.",
             qty_over_received, fits=_has_cheap("receive")),
    Scenario("not_received", EXCEPTION, (HoldCode.NOT_RECEIVED,), "Billed before anything was received.",
             not_received, fits=_has_cheap("receive")),
    Scenario("price_variance", EXCEPTION, (HoldCode.PRICE_VARIANCE,), "A unit price 6-10% over the PO.",
             price_variance, fits=lambda w, v: len(assortment(w, v)) >= 2 and any(
                 Decimal(1) <= r.price <= Decimal(35) for r in assortment(w, v))),
    Scenario("amount_variance", EXCEPTION, (HoldCode.AMOUNT_VARIANCE,),
             "Small price differences on every line adding up beyond the total tolerance.", amount_variance,
             fits=lambda w, v: len([r for r in assortment(w, v) if r.price >= 20]) >= 2),
    Scenario("freight_over_tolerance", EXCEPTION, (HoldCode.AMOUNT_VARIANCE,),
             "Freight not on the PO, beyond the freight tolerance.", freight_over),
    Scenario("tax_mismatch", EXCEPTION, (HoldCode.TAX_MISMATCH,), "A VAT rate other than the PO's tax code.",
             tax_mismatch, fits=_tax_fit),
)
