"""Exceptions in the document itself: figures that do not add up, a required field missing, an
e-invoice whose XML disagrees with its page, a credit note crediting nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from models.holds import HoldCode
from synth.amounts import line_amount
from synth.document import DocLine
from synth.scenarios.base import EXCEPTION, Built, Context, Scenario
from synth.scenarios.shapes import (
    CLEAN_CAP,
    assortment,
    choose,
    expect,
    invoice_day,
    lines_for,
    make_doc,
    new_order,
    order_day,
    rate_for,
    receive_all,
    sized,
)
from synth.world.bills import invoice_slot
from synth.world.profiles import VendorProfile
from synth.world.records import PurchaseOrder
from synth.world.store import World

FLOOR, CEILING = Decimal(1500), Decimal(15000)


def _received_po(ctx: Context, low: Decimal = FLOOR, high: Decimal = CEILING) -> tuple[date, PurchaseOrder]:
    day = invoice_day(ctx)
    po = new_order(ctx, sized(ctx, choose(ctx, assortment(ctx.world, ctx.vendor), ctx.rng.randint(1, 10)), low, high),
                   order_day(ctx, day))
    receive_all(ctx, po, day)
    return day, po


def arithmetic(ctx: Context) -> Built:
    day, po = _received_po(ctx)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    # Off by 0.50 to 3.50: far beyond rounding, far inside the amount tolerance.
    delta = Decimal(ctx.rng.choice((50, 90, 100, 150, 200, 270, 300, 350))) / 100 * ctx.rng.choice((1, -1))
    if ctx.rng.random() < 0.6:
        line = ctx.rng.choice([ln for ln in doc.lines if ln.amount > 10])
        right = line.amount
        line.amount = right + delta
        what = f"line '{line.description}' shows {line.amount} for {line.quantity} x {line.unit_price} = {right}"
        kind = "line_amount"
    else:
        net, tax, total = doc.amounts
        doc.printed_totals = (net, tax, total + delta)
        what = f"the total shows {total + delta} for net {net} + tax {tax} = {total}"
        kind = "total"
    return Built(doc, expect(ctx, [HoldCode.ARITHMETIC_ERROR], f"The invoice does not add up: {what}.",
                             details={"po_ids": [po.id], "error": kind, "off_by": str(delta)}))


def missing(ctx: Context) -> Built:
    day, po = _received_po(ctx, Decimal(150), CLEAN_CAP)
    field = ctx.rng.choice(("invoice_number", "invoice_date"))
    if field == "invoice_number":
        doc = make_doc(ctx, lines_for(ctx, po), day, po=po, number=False)
    else:
        doc = make_doc(ctx, lines_for(ctx, po), day, po=po, number=invoice_slot(ctx.world, ctx.vendor, day))
        doc.issue_date = None
        doc.due_date = None
    label = field.replace("_", " ")
    return Built(doc, expect(ctx, [HoldCode.MISSING_FIELD], f"The invoice carries no {label}.",
                             details={"po_ids": [po.id], "missing": field}))


def einvoice_mismatch(ctx: Context) -> Built:
    day, po = _received_po(ctx, Decimal(150), CLEAN_CAP)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    choices = ["invoice_number", "invoice_date"]
    if len(ctx.vendor.accounts) > 1 and ctx.vendor.accounts[1].is_iban:
        choices.append("vendor_iban")
    doc.einvoice_mismatch = ctx.rng.choice(choices)
    return Built(doc, expect(ctx, [HoldCode.EINVOICE_PDF_MISMATCH],
                             f"The Factur-X XML embedded in the PDF gives a different {doc.einvoice_mismatch} "
                             "than the page shows.", details={"po_ids": [po.id], "field": doc.einvoice_mismatch}))


def credit_unlinked(ctx: Context) -> Built:
    world = ctx.world
    day = invoice_day(ctx)
    rows = choose(ctx, assortment(world, ctx.vendor), ctx.rng.randint(1, 3))
    label = {"de": "Gutschrift", "en": "Credit", "fr": "Avoir", "it": "Accredito", "es": "Abono",
             "nl": "Creditering"}[ctx.vendor.language]
    lines = []
    for row in rows:
        quantity = Decimal(ctx.rng.randint(1, 6))
        uom = world.uom(world.product(row.product_id).uom_po_id).name
        lines.append(DocLine(f"{label}: {row.product_name}", quantity, uom, row.price, line_amount(quantity, row.price),
                             rate_for(world, ctx.vendor, row), row.product_code))
    doc = make_doc(ctx, lines, day, mentions=[])
    doc.document_type = "credit_note"
    if ctx.rng.random() < 0.6:
        # A number in the vendor's own style, from before its first invoice to us: no bill has it.
        ghost = ctx.vendor.number_start - ctx.rng.randint(200, 1000)
        earlier = day - timedelta(days=ctx.rng.randint(150, 300))
        doc.credit_note_ref = ctx.vendor.numbering.format(n=ghost, year=earlier.year, yy=f"{earlier.year % 100:02d}")
        why = f"names invoice {doc.credit_note_ref}, which is not among the vendor's bills"
    else:
        why = "names no invoice at all"
    return Built(doc, expect(ctx, [HoldCode.CREDIT_NOTE_UNLINKED], f"A credit note that {why}."))


def _two_accounts_or_any(world: World, vendor: VendorProfile) -> bool:
    return len(assortment(world, vendor)) >= 1


SCENARIOS = (
    Scenario("arithmetic_error", EXCEPTION, (HoldCode.ARITHMETIC_ERROR,), "Figures that do not add up.", arithmetic,
             excludes=frozenset({"einvoice"})),
    Scenario("missing_field", EXCEPTION, (HoldCode.MISSING_FIELD,), "No invoice number or no invoice date.",
             missing, excludes=frozenset({"einvoice"})),
    Scenario("einvoice_pdf_mismatch", EXCEPTION, (HoldCode.EINVOICE_PDF_MISMATCH,),
             "A Factur-X whose XML disagrees with its page.", einvoice_mismatch, only=frozenset({"einvoice"})),
    Scenario("credit_note_unlinked", EXCEPTION, (HoldCode.CREDIT_NOTE_UNLINKED,),
             "A credit note for no known bill.", credit_unlinked),
)
