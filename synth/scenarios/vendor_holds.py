"""Exceptions about who sent the invoice: unknown, ambiguous, paid to a new account, over its limit.

Vendor-level holds stop matching before PO selection (there is no vendor whose orders to search), so
``VENDOR_UNKNOWN`` and ``VENDOR_AMBIGUOUS`` invoices carry no PO number and expect no other code.
"""

from __future__ import annotations

from decimal import Decimal

from models.holds import HoldCode
from synth.amounts import line_amount
from synth.document import DocLine
from synth.identity import bank_account
from synth.scenarios.base import EXCEPTION, LIMITED, TWINS, UNKNOWN, Built, Context, Scenario
from synth.scenarios.shapes import (
    CLEAN_CAP,
    assortment,
    choose,
    expect,
    goods_po,
    invoice_day,
    lines_for,
    make_doc,
    rate_for,
    receive_all,
    sized,
)
from synth.world.assortment import vendor_price
from synth.world.places import COUNTRIES
from synth.world.profiles import VendorProfile
from synth.world.store import World


def _catalogue_lines(ctx: Context) -> list[DocLine]:
    """Lines priced from the vendor's own list, for invoices that name no order."""
    world = ctx.world
    rows = assortment(world, ctx.vendor)
    if rows:
        items = sized(ctx, choose(ctx, rows, ctx.rng.randint(1, 6)), Decimal(150), CLEAN_CAP)
        return [DocLine(i.info.product_name, i.quantity, world.uom(world.product(i.info.product_id).uom_po_id).name,
                        i.info.price, line_amount(i.quantity, i.info.price), rate_for(world, ctx.vendor, i.info),
                        i.info.product_code) for i in items]
    candidates = [item for item in world.items.values() if item.category == ctx.vendor.category]
    lines = []
    for item in sorted(ctx.rng.sample(candidates, k=min(len(candidates), ctx.rng.randint(1, 5))),
                       key=lambda i: i.product_id):
        product = world.product(item.product_id)
        uom = world.uom(product.uom_po_id)
        price = vendor_price(item, uom.factor_inv, ctx.vendor.currency, ctx.rng)
        quantity = Decimal(ctx.rng.randint(1, 20))
        rate = (Decimal(7) if item.reduced else Decimal(19)) if ctx.vendor.country == "DE" else Decimal(0)
        name = item.de if ctx.vendor.language == "de" else item.en
        lines.append(DocLine(name, quantity, uom.name, price, line_amount(quantity, price), rate,
                             f"{ctx.rng.randint(10000, 99999)}"))
    return lines


def unknown(ctx: Context) -> Built:
    day = invoice_day(ctx)
    doc = make_doc(ctx, _catalogue_lines(ctx), day, mentions=[])
    return Built(doc, expect(ctx, [HoldCode.VENDOR_UNKNOWN], "A vendor the ERP does not know: its VAT id, IBAN, "
                                                             "e-mail domain and name match no partner.",
                             details={"unknown_vendor": {"name": ctx.vendor.name, "vat": ctx.vendor.vat}}))


def ambiguous(ctx: Context) -> Built:
    assert ctx.twin_id is not None
    day = invoice_day(ctx)
    doc = make_doc(ctx, _catalogue_lines(ctx), day, mentions=[])
    built = Built(doc, expect(ctx, [HoldCode.VENDOR_AMBIGUOUS],
                              "The vendor is recorded twice in the ERP (same name, VAT id, address and IBAN); "
                              "a clerk must pick the record.", vendor_candidates=sorted([ctx.vendor.key, ctx.twin_id])))
    built.expected.vendor_id = None
    return built


def bank_changed(ctx: Context) -> Built:
    day = invoice_day(ctx)
    po = goods_po(ctx, day, Decimal(150), method=None)
    receive_all(ctx, po, day)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    known = {b.acc_number for b in ctx.world.banks}
    country = ctx.rng.choice(("LU", "NL", "BE", "IE", "ES", ctx.vendor.country))
    account = bank_account(country if country in COUNTRIES and country != "US" else "LU", ctx.rng)
    while account.acc_number in known:
        account = bank_account("LU", ctx.rng)
    doc.account = account
    return Built(doc, expect(ctx, [HoldCode.BANK_DETAILS_CHANGED],
                             f"The invoice asks for payment to {account.acc_number}, an IBAN that is not among the "
                             "vendor's bank accounts in the ERP.", details={"po_ids": [po.id],
                                                                            "new_iban": account.acc_number}))


def over_vendor_limit(ctx: Context) -> Built:
    world = ctx.world
    partner = world.partner(ctx.vendor.key)
    limit = partner.x_invoice_limit
    assert limit is not None
    day = invoice_day(ctx)
    po = goods_po(ctx, day, limit * Decimal("1.4"), limit * Decimal("2.0"), method=None)
    receive_all(ctx, po, day)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    total = doc.amounts[2]
    return Built(doc, expect(ctx, [HoldCode.VENDOR_AMOUNT_LIMIT],
                             f"Total {total} is above the vendor's invoice limit of {limit}.",
                             details={"po_ids": [po.id], "limit": str(limit), "total": str(total)}))


def _iban_vendor(world: World, vendor: VendorProfile) -> bool:
    return bool(vendor.accounts) and vendor.accounts[0].is_iban


SCENARIOS = (
    Scenario("vendor_unknown", EXCEPTION, (HoldCode.VENDOR_UNKNOWN,), "A vendor not in the ERP.", unknown,
             pool=UNKNOWN),
    Scenario("vendor_ambiguous", EXCEPTION, (HoldCode.VENDOR_AMBIGUOUS,), "A vendor recorded twice in the ERP.",
             ambiguous, pool=TWINS),
    Scenario("bank_details_changed", EXCEPTION, (HoldCode.BANK_DETAILS_CHANGED,),
             "An IBAN the vendor never had (invoice fraud's favourite trick).", bank_changed, fits=_iban_vendor),
    Scenario("vendor_amount_limit", EXCEPTION, (HoldCode.VENDOR_AMOUNT_LIMIT,),
             "Above the vendor's own invoice amount limit.", over_vendor_limit, pool=LIMITED),
)
