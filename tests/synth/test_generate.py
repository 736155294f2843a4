"""The generated world is consistent the way Odoo's would be, and each scenario's expected outcome
follows from it under the agreed default tolerances."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from models.holds import HoldCode
from synth import GeneratedWorld, SynthConfig, generate
from synth.amounts import line_amount
from synth.scenarios import SCENARIOS
from synth.scenarios.base import EXCEPTION

# Codes matching can raise from a document and the mirror; each needs a scenario.
DETECTABLE = set(HoldCode) - {HoldCode.LOW_CONFIDENCE, HoldCode.AMOUNT_UNUSUAL, HoldCode.FIRST_INVOICE,
                              HoldCode.AUDIT_SAMPLE, HoldCode.NOT_AN_INVOICE}


def test_every_detectable_hold_code_has_a_scenario() -> None:
    covered = {code for s in SCENARIOS.values() for code in s.holds}
    assert covered >= DETECTABLE
    assert all(s.holds for s in SCENARIOS.values() if s.group == EXCEPTION)
    assert all(not s.holds for s in SCENARIOS.values() if s.group != EXCEPTION)


def test_every_scenario_is_built(small_world: GeneratedWorld) -> None:
    built = sorted(inv.scenario.name for inv in small_world.invoices)
    assert built == sorted(SCENARIOS)


def test_received_quantities_are_the_done_moves(small_world: GeneratedWorld) -> None:
    w = small_world.world
    done: dict[int, Decimal] = defaultdict(Decimal)
    for move in w.moves:
        if move.state == "done":
            done[move.purchase_line_id] += move.quantity
            line = next(x for x in w.lines_of[w.order(_order_of(w, move.purchase_line_id)).id]
                        if x.id == move.purchase_line_id)
            assert move.product_uom == line.product_uom
    for line in w.order_lines:
        assert line.qty_received == done.get(line.id, Decimal(0)), line.name


def test_invoiced_quantities_are_the_bills(small_world: GeneratedWorld) -> None:
    w = small_world.world
    billed: dict[int, Decimal] = defaultdict(Decimal)
    for bill in w.bills:
        if bill.state != "cancel":
            for line_id, qty in bill.billed:
                billed[line_id] += -qty if bill.move_type == "in_refund" else qty
    for line in w.order_lines:
        assert line.qty_invoiced == billed.get(line.id, Decimal(0))


def test_order_totals_and_statuses_agree_with_their_lines(small_world: GeneratedWorld) -> None:
    w = small_world.world
    for po in w.orders:
        lines = w.lines_of[po.id]
        assert po.amount_untaxed == sum((line.price_subtotal for line in lines), Decimal(0))
        assert po.amount_total == po.amount_untaxed + po.amount_tax
        for line in lines:
            assert line.price_subtotal == line_amount(line.product_qty, line.price_unit)
        if po.state == "done":
            assert po.invoice_status == "invoiced" and po.receipt_status in ("full", None)
        if po.state == "cancel":
            assert po.invoice_status == "no" and all(line.qty_received == 0 for line in lines)


def test_names_are_unique_and_ghost_po_numbers_exist_nowhere(small_world: GeneratedWorld) -> None:
    w = small_world.world
    names = {po.name for po in w.orders}
    assert len(names) == len(w.orders)
    assert len({p.name for p in w.pickings}) == len(w.pickings)
    ghosts = [m.printed() for inv in small_world.invoices for m in inv.doc.po_mentions if m.style == "ghost"]
    assert ghosts and not set(ghosts) & names
    digits = {int(n[1:]) for n in names}
    assert all(int(g[1:]) not in digits for g in ghosts)


def test_invoice_numbers_are_unique_per_vendor_except_the_duplicate(small_world: GeneratedWorld) -> None:
    w = small_world.world
    seen: dict[tuple[int, str], str] = {}
    for bill in w.bills:
        key = (bill.partner_id, bill.ref)
        assert key not in seen or w.profiles[bill.partner_id].numbering_of, key
        seen[key] = f"bill {bill.id}"
    for inv in small_world.invoices:
        number = inv.doc.invoice_number
        if number is None or inv.doc.vendor.key < 0:
            continue
        key = (inv.doc.vendor.key, number)
        if inv.scenario.name == "duplicate_exact":
            assert key in seen
        else:
            assert key not in seen, (inv.scenario.name, number, seen.get(key))
        seen[key] = inv.doc.invoice_id


def test_only_duplicates_share_a_vendor_and_total(small_world: GeneratedWorld) -> None:
    w = small_world.world
    recent = [(b.partner_id, b.amount_total, b.id) for b in w.bills
              if (w.today - b.invoice_date).days <= 60]
    seen = set()
    for inv in small_world.invoices:
        total = inv.doc.amounts[2]
        clashes = [bill_id for vendor, amount, bill_id in recent if vendor == inv.doc.vendor.key and amount == total]
        assert clashes == ([inv.expected.duplicate_of] if inv.expected.duplicate_of else []), inv.scenario.name
        assert (inv.doc.vendor.key, total) not in seen
        seen.add((inv.doc.vendor.key, total))


def test_every_invoicing_vendor_has_history_around_its_totals(small_world: GeneratedWorld) -> None:
    """So that FIRST_INVOICE and AMOUNT_UNUSUAL never arise where no scenario asks for them."""
    w = small_world.world
    for inv in small_world.invoices:
        if inv.doc.vendor.key < 0 or inv.doc.document_type != "invoice":
            continue
        past = [b.amount_total for b in w.bills_of[inv.doc.vendor.key]
                if b.state == "posted" and (w.today - b.invoice_date).days > 50]
        total = inv.doc.amounts[2]
        assert any(p < total for p in past) and any(p > total for p in past), inv.scenario.name


def test_documents_add_up_except_where_the_scenario_says_not(small_world: GeneratedWorld) -> None:
    for inv in small_world.invoices:
        doc = inv.doc
        net, tax, total = doc.amounts
        lines_ok = all(line.amount == line_amount(line.quantity, line.unit_price) for line in doc.lines)
        sums_ok = net == sum((line.amount for line in doc.lines), Decimal(0)) and total == net + tax
        if inv.scenario.name == "arithmetic_error":
            assert not (lines_ok and sums_ok)
        else:
            assert lines_ok and sums_ok, inv.scenario.name


def test_clean_invoices_stay_under_the_limits(small_world: GeneratedWorld) -> None:
    for inv in small_world.invoices:
        total = inv.doc.amounts[2]
        if HoldCode.OVER_AUTHORITY_LIMIT in inv.expected.holds:
            assert total > Decimal(30000)
        else:
            assert total < Decimal(25000), inv.scenario.name


def test_line_exceptions_are_clearly_outside_and_their_side_effects_clearly_inside(
        small_world: GeneratedWorld) -> None:
    w = small_world.world
    lines_by_id = {line.id: line for line in w.order_lines}
    for inv in small_world.invoices:
        doc, name = inv.doc, inv.scenario.name
        explained = sum((line_amount(line.quantity, lines_by_id[line.po_line_id].price_unit)
                         for line in doc.lines if line.po_line_id and line.unit == w.uom(
                             lines_by_id[line.po_line_id].product_uom).name), Decimal(0))
        net = doc.amounts[0]
        if name == "price_variance":
            billed = next(line for line in doc.lines if line.po_line_id == inv.expected.details["po_line_id"])
            assert billed.unit_price / lines_by_id[billed.po_line_id].price_unit > Decimal("1.05")
            assert (net - explained) * Decimal("1.19") <= Decimal("4.50")
        if name == "amount_variance":
            assert Decimal("0.012") < (net - explained) / explained < Decimal("0.018")
            assert net - explained > 15
            for line in doc.lines:
                assert line.unit_price / lines_by_id[line.po_line_id].price_unit < Decimal("1.017")
        if name in ("qty_over_received", "qty_over_ordered", "not_received"):
            line = lines_by_id[inv.expected.details["po_line_id"]]
            billed = next(x for x in doc.lines if x.po_line_id == line.id)
            if name == "qty_over_received":
                assert billed.quantity - line.qty_received >= Decimal("0.1") * line.qty_received
            if name == "qty_over_ordered":
                assert billed.quantity - line.product_qty >= Decimal("0.1") * line.product_qty
            if name == "not_received":
                assert line.qty_received == 0
            reference = {"qty_over_received": line.qty_received, "qty_over_ordered": line.product_qty,
                         "not_received": Decimal(0)}[name]
            assert (billed.quantity - reference) * billed.unit_price * (1 + billed.tax_rate / 100) <= Decimal("4.50")
        if name == "tax_mismatch":
            line = lines_by_id[inv.expected.details["po_line_id"]]
            billed = next(x for x in doc.lines if x.po_line_id == line.id)
            difference = billed.amount * abs(billed.tax_rate - Decimal(inv.expected.details["po_rate"])) / 100
            assert Decimal("1.00") <= difference <= Decimal("4.50")
        if name in ("line_unmatched", "price_variance", "qty_over_received", "tax_mismatch", "arithmetic_error"):
            assert doc.amounts[2] >= Decimal(1500)


def test_the_same_seed_builds_the_same_world_and_another_seed_another() -> None:
    a = generate(SynthConfig(vendors=20, invoices=30, seed=5))
    b = generate(SynthConfig(vendors=20, invoices=30, seed=5))
    c = generate(SynthConfig(vendors=20, invoices=30, seed=6))
    assert [i.doc.truth() for i in a.invoices] == [i.doc.truth() for i in b.invoices]
    assert [i.doc.truth() for i in a.invoices] != [i.doc.truth() for i in c.invoices]


def _order_of(world: object, line_id: int) -> int:
    from synth.world.store import World

    assert isinstance(world, World)
    return next(line.order_id for line in world.order_lines if line.id == line_id)
