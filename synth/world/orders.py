"""Purchase orders and their lines, with Odoo's totals and billing/receipt status.

``refresh_order`` recomputes what Odoo computes (amounts, ``invoice_status``, ``receipt_status``)
after receipts or bills change a PO, so the snapshot never holds a status its lines contradict.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from synth.amounts import line_amount, tax_groups, totals
from synth.world.buyer import tax_for
from synth.world.profiles import VendorProfile
from synth.world.records import PurchaseOrder, PurchaseOrderLine, SupplierInfo
from synth.world.store import Site, World


@dataclass
class OrderItem:
    info: SupplierInfo
    quantity: Decimal


def stamp(day: date, rng: random.Random, earliest: int = 7, latest: int = 17) -> datetime:
    return datetime.combine(day, time(rng.randint(earliest, latest), rng.randint(0, 59), rng.randint(0, 59)),
                            tzinfo=UTC)


def is_service(world: World, line: PurchaseOrderLine) -> bool:
    return world.product(line.product_id).type == "service"


def bills_on_order(world: World, line: PurchaseOrderLine) -> bool:
    """Billed against ordered quantities (two-way match) rather than received ones."""
    return world.product(line.product_id).purchase_method == "purchase"


def pick_site(world: World, rng: random.Random) -> Site:
    # The central store buys most consumables; the clinics order what they use directly.
    return world.sites[0] if rng.random() < 0.35 else rng.choice(world.sites[1:])


def create_order(world: World, rng: random.Random, vendor: VendorProfile, items: list[OrderItem], day: date,
                 *, site: Site | None = None, freight: Decimal | None = None, state: str = "purchase") -> PurchaseOrder:
    site = site or pick_site(world, rng)
    ordered = stamp(day, rng)
    po = PurchaseOrder(
        id=world.next_id("purchase.order"), name="", partner_id=vendor.key,
        partner_ref=None, state=state, currency_id=world.currency_id(vendor.currency),
        company_id=site.company_id, picking_type_id=site.picking_type_id, date_order=ordered,
        date_approve=ordered + timedelta(minutes=rng.randint(5, 600)))
    world.orders.append(po)
    world.orders_of[vendor.key].append(po)
    for item in items:
        product = world.product(item.info.product_id)
        reduced = world.items[product.id].reduced
        add_line(world, po, product.id, f"[{item.info.product_code}] {item.info.product_name}", item.quantity,
                 product.uom_po_id, item.info.price, tax_for(world, site.company_id, vendor.country, reduced).id)
    if freight is not None:
        product = next(p for p in world.products if p.default_code.startswith("FRT"))
        add_line(world, po, product.id, product.name, Decimal(1), product.uom_po_id, freight,
                 tax_for(world, site.company_id, vendor.country, False).id)
    refresh_order(world, po)
    return po


def add_line(world: World, po: PurchaseOrder, product_id: int, name: str, quantity: Decimal, uom_id: int,
             price: Decimal, tax_id: int) -> PurchaseOrderLine:
    product = world.product(product_id)
    lines = world.lines_of[po.id]
    line = PurchaseOrderLine(
        id=world.next_id("purchase.order.line"), order_id=po.id, sequence=10 * (len(lines) + 1),
        product_id=product_id, name=name, product_qty=quantity, product_uom=uom_id, price_unit=price,
        taxes_id=[tax_id], qty_received_method="manual" if product.type == "service" else "stock_moves",
        price_subtotal=line_amount(quantity, price), write_date=po.date_approve)
    world.order_lines.append(line)
    lines.append(line)
    return line


def line_rate(world: World, line: PurchaseOrderLine) -> Decimal:
    return sum((world.tax(t).amount for t in line.taxes_id), Decimal(0))


def refresh_order(world: World, po: PurchaseOrder) -> None:
    lines = world.lines_of[po.id]
    groups = tax_groups((line.price_subtotal, line_rate(world, line)) for line in lines)
    po.amount_untaxed, po.amount_tax, po.amount_total = totals(groups)
    po.invoice_status = _invoice_status(world, po, lines)
    po.receipt_status = _receipt_status(world, po)
    po.write_date = max([po.date_approve, *(line.write_date for line in lines if line.write_date)])


def to_invoice(world: World, line: PurchaseOrderLine) -> Decimal:
    basis = line.product_qty if bills_on_order(world, line) else line.qty_received
    return basis - line.qty_invoiced


def _invoice_status(world: World, po: PurchaseOrder, lines: list[PurchaseOrderLine]) -> str:
    if po.state not in ("purchase", "done"):
        return "no"
    if any(to_invoice(world, line) != 0 for line in lines):
        return "to invoice"
    if any(bill for bill in world.bills_of[po.partner_id] if any(
            lid in {line.id for line in lines} for lid, _ in bill.billed) and bill.state != "cancel"):
        return "invoiced"
    return "no"


def _receipt_status(world: World, po: PurchaseOrder) -> str | None:
    pickings = [p for p in world.pickings_of[po.id] if p.state != "cancel"]
    if not pickings:
        return None
    if all(p.state == "done" for p in pickings):
        return "full"
    return "partial" if any(p.state == "done" for p in pickings) else "pending"
