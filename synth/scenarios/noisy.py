"""Noisy but clean: the invoice is right, only written the way real vendors write. Matching must see
through the noise and raise nothing."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

from synth.document import DocLine, PoMention
from synth.scenarios.base import NOISY, SINGLE, Built, Context, Scenario
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
    receive_all,
    sized,
)
from synth.world.records import PurchaseOrder

_LEGAL_VARIANTS = {"GmbH": "G.m.b.H.", "Ltd": "Limited", "Limited": "Ltd.", "S.p.A.": "SpA", "S.r.l.": "Srl",
                   "B.V.": "BV", "N.V.": "NV", "Inc.": "Incorporated", "S.L.": "SL", "SAS": "S.A.S.",
                   "SARL": "S.A.R.L.", "AG": "Aktiengesellschaft", "LLC": "L.L.C.", "AB": "Aktiebolag",
                   "S.A.": "SA", "A/S": "AS", "PLC": "plc", "KG": "Kommanditgesellschaft"}


def _plain(text: str) -> str:
    text = text.replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def name_variant(ctx: Context) -> tuple[str, str]:
    """The vendor's name as its own letterhead or a careless template writes it. The invented brand is
    never garbled (that would make a different vendor), only what surrounds it."""
    vendor = ctx.vendor
    descriptor = vendor.name.removeprefix(vendor.brand).removesuffix(vendor.legal_form).strip()
    kind = ctx.rng.choice(("no_legal_form", "legal_form", "upper", "typo", "order", "ascii"))
    if kind == "no_legal_form":
        return kind, f"{vendor.brand} {descriptor}".strip()
    if kind == "legal_form":
        return kind, f"{vendor.brand} {descriptor} {_LEGAL_VARIANTS.get(vendor.legal_form, vendor.legal_form)}"
    if kind == "upper":
        return kind, vendor.name.upper()
    if kind == "typo" and len(descriptor) > 5:
        i = ctx.rng.randint(1, len(descriptor) - 3)
        if descriptor[i].isalpha() and descriptor[i + 1].isalpha() and descriptor[i] != descriptor[i + 1]:
            swapped = descriptor[:i] + descriptor[i + 1] + descriptor[i] + descriptor[i + 2:]
            return kind, f"{vendor.brand} {swapped} {vendor.legal_form}"
    if kind == "order" and descriptor:
        return kind, f"{descriptor} {vendor.brand} {vendor.legal_form}"
    plain = _plain(vendor.name)
    if plain != vendor.name:
        return "ascii", plain
    return "no_legal_form", f"{vendor.brand} {descriptor}".strip()


def _clean_po(ctx: Context) -> tuple[date, PurchaseOrder]:
    day = invoice_day(ctx)
    po = new_order(ctx, sized(ctx, choose(ctx, assortment(ctx.world, ctx.vendor)), Decimal(80), CLEAN_CAP),
                   order_day(ctx, day))
    receive_all(ctx, po, day)
    return day, po


def vendor_name(ctx: Context) -> Built:
    day, po = _clean_po(ctx)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po)
    kind, printed = name_variant(ctx)
    doc.printed_name = printed
    bare = ctx.rng.random() < 0.5
    if bare:
        doc.show_vat = False
        doc.account = None
    how = "with no VAT id or bank details printed" if bare else "with its VAT id and IBAN"
    return Built(doc, expect(ctx, [], f"The vendor's name is printed as '{printed}' ({kind}), {how}.",
                             details={"po_ids": [po.id], "printed_name": printed, "registered_name": ctx.vendor.name,
                                      "variant": kind, "strong_ids_printed": not bare}))


def po_ocr(ctx: Context) -> Built:
    day, po = _clean_po(ctx)
    style = ctx.rng.choice(("ocr", "ocr", "padded", "prefixed"))
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po, mentions=[PoMention(po, style=style)])
    return Built(doc, expect(ctx, [], f"The PO number is printed garbled ({style}: O for 0, PO- prefixes, "
                                      "extra zero padding) but names an existing order.",
                             details={"po_ids": [po.id], "po_style": style}))


def po_absent(ctx: Context) -> Built:
    day, po = _clean_po(ctx)
    doc = make_doc(ctx, lines_for(ctx, po), day, po=po, mentions=[])
    return Built(doc, expect(ctx, [], "No PO number printed, but the vendor has exactly one open order and it "
                                      "explains every line.", details={"po_ids": [po.id]}))


_ABBREVIATIONS = (("Nitrile", "Nitr."), ("examination", "exam."), ("gloves", "glvs"), ("powder-free", "PF"),
                  ("sterile", "ster."), ("Disposable", "Disp."), ("Untersuchungshandschuhe", "U-Handsch."),
                  ("puderfrei", "pf"), ("steril", "ster."), ("Tabletten", "Tbl."), ("tablets", "tabs"),
                  ("solution", "sol."), ("Lösung", "Lsg."), ("maintenance", "maint."), ("Wartung", "Wtg."),
                  ("service", "svc"), ("Reinigung", "Reinig."), ("cartridge", "cart."), ("assorted", "asst."))


def _garble(description: str, ctx: Context) -> str:
    text = description
    for long, short in _ABBREVIATIONS:
        text = text.replace(long, short)
    if text == description:
        parts = [p.strip() for p in description.split(",")]
        text = " ".join([parts[-1], *parts[:-1]]) if len(parts) > 1 else description.upper()
    return text


def descriptions(ctx: Context) -> Built:
    day, po = _clean_po(ctx)
    lines = [DocLine(_garble(line.description, ctx), line.quantity, line.unit, line.unit_price, line.amount,
                     line.tax_rate, None, line.po_line_id, line.kind) for line in lines_for(ctx, po)]
    doc = make_doc(ctx, lines, day, po=po)
    return Built(doc, expect(ctx, [], "Line descriptions abbreviated or reordered and no product codes printed; "
                                      "quantities and prices are exactly the PO's.", details={"po_ids": [po.id]}))


SCENARIOS = (
    Scenario("noisy_vendor_name", NOISY, (), "The vendor's name spelled differently.", vendor_name),
    Scenario("noisy_po_ocr", NOISY, (), "PO number with OCR-like confusions or other padding.", po_ocr),
    Scenario("noisy_po_absent", NOISY, (), "No PO number, but only one open PO fits.", po_absent, pool=SINGLE),
    Scenario("noisy_descriptions", NOISY, (), "Abbreviated descriptions without product codes.", descriptions),
)
