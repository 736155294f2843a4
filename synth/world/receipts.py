"""Goods receipts: incoming ``stock.picking`` chains with their ``stock.move`` lines.

As Odoo does when a receipt is validated short: the done picking's moves are cut down to what was
done, and the rest moves to a backorder picking (``backorder_id`` pointing back), which is either
done later (split deliveries) or still waiting (``assigned``). Over-delivery is a done move whose
quantity exceeds its demand. ``qty_received`` on each PO line is the sum of its done moves, in the
line's own unit, exactly as Odoo computes it.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from synth.world.orders import is_service, refresh_order, stamp
from synth.world.records import Move, Picking, PurchaseOrder, PurchaseOrderLine
from synth.world.store import World


def goods_lines(world: World, po: PurchaseOrder) -> list[PurchaseOrderLine]:
    return [line for line in world.lines_of[po.id] if not is_service(world, line)]


def receive(world: World, rng: random.Random, po: PurchaseOrder, deliveries: list[dict[int, Decimal]],
            days: list[date], *, leave_backorder: bool = True) -> list[Picking]:
    """Book ``deliveries`` (one ``{po line id: quantity}`` per done picking, on ``days``); whatever
    is still outstanding afterwards waits in an ``assigned`` backorder unless ``leave_backorder`` is
    false (the rest was cancelled, as when a vendor short-ships for good)."""
    lines = goods_lines(world, po)
    if not lines:
        return []
    outstanding = {line.id: line.product_qty - line.qty_received for line in lines}
    pickings: list[Picking] = []
    previous: Picking | None = None
    for delivery, day in zip(deliveries, days, strict=True):
        picking = _picking(world, rng, po, day, "done", previous)
        for line in lines:
            done = delivery.get(line.id, Decimal(0))
            if done <= 0:
                continue
            demand = min(done, outstanding[line.id]) if outstanding[line.id] > 0 else done
            _move(world, picking, line, demand, done, "done")
            line.qty_received += done
            outstanding[line.id] -= done
            line.write_date = picking.date_done
        pickings.append(picking)
        previous = picking
    rest = {lid: q for lid, q in outstanding.items() if q > 0}
    if rest and leave_backorder:
        day = days[-1] if days else po.date_order.date()
        picking = _picking(world, rng, po, day, "assigned", previous)
        for line in lines:
            if line.id in rest:
                _move(world, picking, line, rest[line.id], Decimal(0), "assigned")
        pickings.append(picking)
    refresh_order(world, po)
    return pickings


def cancel_receipts(world: World, rng: random.Random, po: PurchaseOrder) -> Picking | None:
    lines = goods_lines(world, po)
    if not lines:
        return None
    picking = _picking(world, rng, po, po.date_order.date(), "cancel", None)
    for line in lines:
        _move(world, picking, line, line.product_qty, Decimal(0), "cancel")
    return picking


def _picking(world: World, rng: random.Random, po: PurchaseOrder, day: date, state: str,
             previous: Picking | None) -> Picking:
    moment = stamp(day, rng, 7, 15)
    picking = Picking(
        id=world.next_id("stock.picking"), name="", partner_id=po.partner_id, picking_type_id=po.picking_type_id,
        origin="", purchase_id=po.id, state=state, scheduled_date=moment,
        date_done=moment if state == "done" else None, backorder_id=previous.id if previous else None,
        company_id=po.company_id, write_date=moment)
    world.pickings.append(picking)
    world.pickings_of[po.id].append(picking)
    return picking


def _move(world: World, picking: Picking, line: PurchaseOrderLine, demand: Decimal, done: Decimal,
          state: str) -> Move:
    move = Move(world.next_id("stock.move"), picking.id, line.product_id, line.id, demand, done, line.product_uom,
                state, state == "done")
    world.moves.append(move)
    return move
