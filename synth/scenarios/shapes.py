"""Building blocks the scenarios share: dates, orders of a given size, receipts, and the invoice
lines a vendor prints for PO lines.

Sizes are drawn log-uniformly (invoices are many small and few large). Exception scenarios whose
secondary effects must stay inside the amount tolerance use invoices of at least 1,500.00, so that a
deliberate difference of at most 4.50 is far inside "1% or 10.00" whichever way that is read.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from models.holds import HoldCode
from synth.amounts import line_amount
from synth.document import DocLine, InvoiceDoc, PoMention
from synth.scenarios.base import Context, Expected
from synth.seeds import rng as seeded
from synth.world.bills import invoice_slot
from synth.world.numbering import Slot
from synth.world.orders import OrderItem, create_order, line_rate
from synth.world.places import EU
from synth.world.profiles import VendorProfile
from synth.world.receipts import goods_lines, receive
from synth.world.records import PurchaseOrder, PurchaseOrderLine, SupplierInfo
from synth.world.store import Site, World

CLEAN_CAP = Decimal("18000")  # clean invoices stay well below the 25,000.00 auto-post limit
SMALL_EFFECT = Decimal("4.50")  # the most a deliberate side effect may move an invoice's total
_FREIGHT_LABEL = {"de": "Fracht und Verpackung", "en": "Freight and packaging", "fr": "Frais de port et emballage",
                  "it": "Spese di trasporto", "es": "Portes y embalaje", "nl": "Verzendkosten"}


def invoice_day(ctx: Context) -> date:
    return ctx.today - timedelta(days=ctx.rng.randint(1, 24))


def order_day(ctx: Context, invoiced: date) -> date:
    return invoiced - timedelta(days=ctx.rng.randint(14, 50))


def method_of(world: World, info: SupplierInfo) -> str:
    return world.product(info.product_id).purchase_method


def assortment(world: World, vendor: VendorProfile, method: str | None = None) -> list[SupplierInfo]:
    rows = world.assortment[vendor.key]
    return [r for r in rows if method is None or method_of(world, r) == method]


def rate_for(world: World, vendor: VendorProfile, info: SupplierInfo) -> Decimal:
    if vendor.country != "DE":
        return Decimal(0)
    return Decimal(7) if world.items[info.product_id].reduced else Decimal(19)


def gross_unit(world: World, vendor: VendorProfile, info: SupplierInfo) -> Decimal:
    return info.price * (1 + rate_for(world, vendor, info) / 100)


def cheap(world: World, vendor: VendorProfile, method: str | None = None,
          limit: Decimal = SMALL_EFFECT) -> list[SupplierInfo]:
    """Products of which one purchase unit, tax included, moves a total by at most ``limit``."""
    return [r for r in assortment(world, vendor, method) if gross_unit(world, vendor, r) <= limit]


def loguniform(ctx: Context, low: float, high: float) -> Decimal:
    value = math.exp(ctx.rng.uniform(math.log(low), math.log(high)))
    return Decimal(str(round(value, 2)))


def line_count(ctx: Context, available: int) -> int:
    roll = ctx.rng.random()
    if roll < 0.15:
        n = 1
    elif roll < 0.6:
        n = ctx.rng.randint(2, 5)
    elif roll < 0.85:
        n = ctx.rng.randint(6, 12)
    elif roll < 0.95:
        n = ctx.rng.randint(13, 24)
    else:
        n = ctx.rng.randint(25, 40)
    return max(1, min(n, available))


def choose(ctx: Context, rows: list[SupplierInfo], n: int | None = None) -> list[SupplierInfo]:
    n = line_count(ctx, len(rows)) if n is None else min(n, len(rows))
    picked = ctx.rng.sample(rows, k=n)
    return sorted(picked, key=lambda r: r.id)


def sized(ctx: Context, rows: list[SupplierInfo], low: Decimal, high: Decimal,
          vendor: VendorProfile | None = None) -> list[OrderItem]:
    """Quantities for ``rows`` so the gross total lands between ``low`` and ``high``."""
    vendor = vendor or ctx.vendor
    world = ctx.world
    target = loguniform(ctx, float(low), float(high))
    share = target / len(rows)
    items = [OrderItem(r, max(Decimal(1), (share / gross_unit(world, vendor, r)).quantize(Decimal(1), ROUND_HALF_UP)))
             for r in rows]

    def gross() -> Decimal:
        return sum((i.quantity * gross_unit(world, vendor, i.info) for i in items), Decimal(0))

    while gross() > high and len(items) > 1:
        items.remove(max(items, key=lambda i: i.quantity * gross_unit(world, vendor, i.info)))
    while gross() > high and items[0].quantity > 1:
        items[0].quantity = max(Decimal(1), (items[0].quantity / 2).quantize(Decimal(1)))
    if gross() < low:
        factor = Decimal(math.ceil(low / gross()))
        for item in items:
            item.quantity *= factor
    return items


def new_order(ctx: Context, items: list[OrderItem], day: date, *, vendor: VendorProfile | None = None,
              freight: Decimal | None = None, state: str = "purchase", site: Site | None = None) -> PurchaseOrder:
    return create_order(ctx.world, ctx.rng, vendor or ctx.vendor, items, day, freight=freight, state=state,
                        site=site)


def receive_all(ctx: Context, po: PurchaseOrder, invoiced: date) -> None:
    lines = goods_lines(ctx.world, po)
    if lines:
        receive(ctx.world, ctx.rng, po, [{line.id: line.product_qty for line in lines}],
                [delivery_day(ctx, po, invoiced)])


def delivery_day(ctx: Context, po: PurchaseOrder, invoiced: date, index: int = 0, of: int = 1) -> date:
    start = po.date_order.date() + timedelta(days=2)
    span = max(1, (invoiced - start).days - 1)
    return start + timedelta(days=min(span, (span * (index + 1)) // (of + 1) + ctx.rng.randint(0, 1)))


def freight_label(language: str) -> str:
    return _FREIGHT_LABEL[language]


def printed_description(line: PurchaseOrderLine) -> tuple[str, str | None]:
    """The vendor's own name and code for a PO line (Odoo writes ``[code] name``)."""
    if line.name.startswith("[") and "] " in line.name:
        code, name = line.name[1:].split("] ", 1)
        return name, code
    return line.name, None


def doc_line(ctx: Context, line: PurchaseOrderLine, quantity: Decimal, vendor: VendorProfile | None = None,
             price: Decimal | None = None) -> DocLine:
    vendor = vendor or ctx.vendor
    world = ctx.world
    price = line.price_unit if price is None else price
    rate = line_rate(world, line)
    if world.product(line.product_id).default_code.startswith("FRT"):
        return DocLine(freight_label(vendor.language), quantity, "Units", price, line_amount(quantity, price), rate,
                       None, line.id, "freight")
    name, code = printed_description(line)
    return DocLine(name, quantity, world.uom(line.product_uom).name, price, line_amount(quantity, price), rate, code,
                   line.id)


def billable(ctx: Context, po: PurchaseOrder) -> dict[int, Decimal]:
    """What Odoo would bill now: received (or ordered, for two-way lines) minus already billed."""
    from synth.world.orders import to_invoice

    return {line.id: to_invoice(ctx.world, line) for line in ctx.world.lines_of[po.id]
            if to_invoice(ctx.world, line) > 0}


def lines_for(ctx: Context, po: PurchaseOrder, quantities: dict[int, Decimal] | None = None,
              vendor: VendorProfile | None = None) -> list[DocLine]:
    quantities = billable(ctx, po) if quantities is None else quantities
    return [doc_line(ctx, line, quantities[line.id], vendor) for line in ctx.world.lines_of[po.id]
            if quantities.get(line.id, Decimal(0)) > 0]


def prints_due_date(ctx: Context, vendor: VendorProfile) -> bool:
    # A vendor either prints a due date or only its terms ("net 30"); decided once per vendor.
    return seeded(ctx.seed, "due-date-style", vendor.key).random() < 0.8


def tax_notes(vendor: VendorProfile) -> list[str]:
    if vendor.country == "DE":
        return []
    return ["reverse_charge"] if vendor.country in EU else ["export"]


def make_doc(ctx: Context, lines: list[DocLine], day: date | None, *, po: PurchaseOrder | None = None,
             mentions: list[PoMention] | None = None, vendor: VendorProfile | None = None,
             number: Slot | str | bool | None = True, currency: str | None = None) -> InvoiceDoc:
    vendor = vendor or ctx.vendor
    world = ctx.world
    site = world.site_of_type(po.picking_type_id) if po else ctx.rng.choice(world.sites)
    company = world.company(site.company_id)
    slot: Slot | str | None
    if number is True:
        assert day is not None
        slot = invoice_slot(world, vendor, day)
    else:
        slot = None if number is False else number  # type: ignore[assignment]
    due = day + timedelta(days=vendor.payment_days) if day and prints_due_date(ctx, vendor) else None
    delivery = f"LS-{ctx.rng.randint(100000, 999999)}" if ctx.rng.random() < 0.4 else None
    return InvoiceDoc(
        invoice_id=ctx.invoice_id, vendor=vendor, buyer=company, ship_to=site, currency=currency or vendor.currency,
        lines=lines, issue_date=day, number=slot, due_date=due, account=vendor.printed_account,
        po_mentions=mentions if mentions is not None else ([PoMention(po)] if po else []), delivery_note=delivery,
        notes=tax_notes(vendor))


def expect(ctx: Context, holds: tuple[HoldCode, ...] | list[HoldCode], note: str, **kw: object) -> Expected:
    return Expected(holds=list(holds), vendor_id=ctx.vendor.key if ctx.vendor.key > 0 else None, note=note,
                    **kw)  # type: ignore[arg-type]


def goods_po(ctx: Context, day: date, low: Decimal = Decimal(150), high: Decimal = CLEAN_CAP,
             method: str | None = "receive", n: int | None = None) -> PurchaseOrder:
    rows = choose(ctx, assortment(ctx.world, ctx.vendor, method), n)
    return new_order(ctx, sized(ctx, rows, low, high), order_day(ctx, day))


def money(value: str | int) -> Decimal:
    return Decimal(value)
