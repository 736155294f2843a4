"""Properties that must hold for any invoice against any mirror: whatever the engine lets through on
its own bills no more than was received (goods) or ordered, at no more than the tolerated price, and is
no copy of an invoice already seen. The expectations are recomputed here from the generated world,
not read back from the engine's own working."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import DocumentContext
from matching.mirror_view import BillRecord, PriorDocument
from models.identifiers import normalise_ref
from tests.matching.world import BOX100, UNITS, World, invoice

D = Decimal
PRICE_TOLERANCE = D("1.02")

line_spec = st.tuples(
    st.integers(min_value=1, max_value=400),  # ordered
    st.integers(min_value=0, max_value=120),  # received, percent of ordered
    st.integers(min_value=0, max_value=100),  # already billed, percent of received
    st.integers(min_value=5, max_value=5000),  # price in cents
    st.sampled_from(["receive", "receive", "purchase", "service"]),
)
bill_spec = st.tuples(
    st.integers(min_value=0, max_value=5),  # which PO line
    st.integers(min_value=0, max_value=160),  # billed, percent of ordered
    st.integers(min_value=-6, max_value=6),  # price change, percent
    st.booleans(),  # billed in boxes of 100
)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[World, object, dict[str, object]]:
    w = World()
    vendor = w.vendor("Müller Medizintechnik GmbH")
    w.vendor("Laboratoires Dupont SARL")
    specs = draw(st.lists(line_spec, min_size=1, max_size=5))
    order_lines = []
    for i, (ordered, rec_pct, billed_pct, cents, method) in enumerate(specs):
        kind = "service" if method == "service" else "consu"
        product = w.product(f"Article {chr(65 + i)} {['gloves', 'masks', 'swabs', 'gauze', 'syringes'][i]}",
                            code=f"A-{i}", type=kind, method="purchase" if method != "receive" else "receive")
        received = ordered * rec_pct // 100
        billed = received * billed_pct // 100
        order_lines.append((product, ordered, D(cents) / 100, received, billed))
    order = w.order(vendor, *order_lines, name="P00500")
    bills = draw(st.lists(bill_spec, min_size=1, max_size=4))
    inv_lines = []
    used = set()
    for which, pct_billed, price_change, boxes in bills:
        idx = which % len(order_lines)
        if idx in used:
            continue
        used.add(idx)
        product, ordered, price, _, _ = order_lines[idx]
        qty = max(1, ordered * pct_billed // 100)
        unit_price = (price * (100 + price_change) / 100).quantize(D("0.0001"))
        if boxes and qty % 100 == 0:
            inv_lines.append((product.name, qty // 100, unit_price * 100, None, "Box of 100"))
        else:
            inv_lines.append((product.name, qty, unit_price, None, "Units"))
    number = draw(st.sampled_from(["INV-1", "INV-2", "INV-3"]))
    if draw(st.booleans()):
        w.bills.append(BillRecord(9001, "in_invoice", "posted", vendor.id, ref="INV 1", amount_total=D(1)))
    if draw(st.booleans()):
        w.documents.append(PriorDocument(1, "in_review", vendor.id, "inv-2", date(2025, 1, 5), D(2), "EUR",
                                         "invoice"))
    po = draw(st.sampled_from([order.name, "PO-0O500", None]))
    inv = invoice(vendor, *inv_lines, number=number, po=po)
    return w, inv, {"order": order, "lines": order_lines}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_whatever_posts_on_its_own_is_received_priced_within_tolerance_and_new(
        scenario: tuple[World, object, dict[str, object]]) -> None:
    w, inv, _ = scenario
    out = w.match(inv, DocumentContext(document_id=50))  # type: ignore[arg-type]
    if not out.routing.auto_approve:
        return
    lines_by_id = {ln.id: ln for ln in w.lines}
    products = {p.id: p for p in w.products}
    billed_per_line: dict[int, Decimal] = {}
    for invoice_line in inv.lines:  # type: ignore[attr-defined]
        index = inv.lines.index(invoice_line)  # type: ignore[attr-defined]
        po_line_id = out.po_line_of(index)
        assert po_line_id is not None, "an auto-approved invoice has every item on the order"
        qty = invoice_line.decimal("quantity")
        amount = invoice_line.decimal("amount")
        factor = D(100) if invoice_line.get("unit") == BOX100.name else D(1)
        billed_per_line[po_line_id] = billed_per_line.get(po_line_id, D(0)) + qty * factor
        po_line = lines_by_id[po_line_id]
        assert amount / (qty * factor) <= po_line.price_unit * PRICE_TOLERANCE + D("0.00005")
    for po_line_id, billed in billed_per_line.items():
        po_line = lines_by_id[po_line_id]
        product = products[po_line.product_id]  # type: ignore[index]
        assert po_line.qty_invoiced + billed <= po_line.product_qty
        if product.purchase_method == "receive" and product.type != "service":
            assert po_line.qty_invoiced + billed <= po_line.qty_received
    number = normalise_ref(inv.get("invoice_number"))  # type: ignore[attr-defined]
    assert all(normalise_ref(b.ref) != number for b in w.bills)
    assert all(normalise_ref(d.invoice_number) != number for d in w.documents)


def test_the_generator_reaches_both_outcomes() -> None:
    """Guard against a property that passes because nothing is ever approved."""
    w = World()
    v = w.vendor("Müller Medizintechnik GmbH")
    p = w.product("Article A gloves", code="A-0")
    w.order(v, (p, 100, D("2.00"), 100, 0), name="P00500")
    assert w.match(invoice(v, ("Article A gloves", 100, D("2.00"), None, UNITS.name), po="P00500")).routing.auto_approve
    assert not w.match(invoice(v, ("Article A gloves", 101, D("2.00")), po="P00500")).routing.auto_approve
