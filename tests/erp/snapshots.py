"""Small, deterministic ``payables-world/1`` snapshots for the ERP tests (and, scaled up, the sync
benchmark): two companies, warehouses with their receipt types, vendors with VAT ids, IBANs and
e-mail domains, products in units and boxes, POs in every state with received, partial and missing
receipts, and existing bills."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

IBANS = ["DE89370400440532013000", "FR1420041010050500013M02606", "NL91ABNA0417164300", "GB29NWBK60161331926819",
         "IT60X0542811101000000123456", "ES9121000418450200051332", "BE68539007547034", "AT611904300234573201"]
VATS = ["DE136695976", "FR40303265045", "NL859048385B01", "GB980780684", "IT00743110157", "ESA28015865",
        "BE0403170701", "ATU13585627"]
COUNTRIES = ["DE", "FR", "NL", "GB", "IT", "ES", "BE", "AT"]
WHEN = datetime(2025, 3, 1, 9, 0, 0)


def stamp(offset_min: int) -> str:
    return (WHEN + timedelta(minutes=offset_min)).isoformat(sep=" ")


def make_snapshot(orders: int = 6, lines_per_order: int = 3, vendors: int = 4, seed: int = 1) -> dict[str, Any]:
    rnd = random.Random(seed)
    m: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "res.currency", "res.company", "stock.warehouse", "stock.picking.type", "res.partner", "res.partner.bank",
        "uom.category", "uom.uom", "product.category", "product.product", "product.supplierinfo", "account.tax",
        "purchase.order", "purchase.order.line", "stock.picking", "stock.move", "account.move")}
    m["res.currency"] = [{"id": 1, "name": "EUR"}, {"id": 2, "name": "USD"}, {"id": 3, "name": "GBP"}]
    m["res.company"] = [
        {"id": 1, "name": "Klinikverbund Süd GmbH", "vat": "DE811569869", "street": "Hauptstr. 1", "city": "München",
         "zip": "80331", "country_code": "DE", "currency_id": 1},
        {"id": 2, "name": "Klinikverbund Nord GmbH", "vat": "DE812526315", "street": "Ring 2", "city": "Hamburg",
         "zip": "20095", "country_code": "DE", "currency_id": 1}]
    m["stock.warehouse"] = [{"id": 1, "name": "Zentrallager", "code": "ZL", "company_id": 1},
                            {"id": 2, "name": "Klinik Schwabing", "code": "KS", "company_id": 1},
                            {"id": 3, "name": "Klinik Altona", "code": "KA", "company_id": 2}]
    m["stock.picking.type"] = [{"id": w["id"], "name": "Receipts", "code": "incoming", "warehouse_id": w["id"],
                                "company_id": w["company_id"]} for w in m["stock.warehouse"]]
    m["uom.category"] = [{"id": 1, "name": "Unit"}]
    m["uom.uom"] = [{"id": 1, "name": "Units", "category_id": 1, "factor": "1", "uom_type": "reference"},
                    {"id": 2, "name": "Box of 100", "category_id": 1, "factor": "0.01", "uom_type": "bigger"}]
    m["product.category"] = [{"id": 1, "name": "Medical consumables"}, {"id": 2, "name": "Services"}]
    m["account.tax"] = [{"id": 1, "name": "19% Vorsteuer", "amount": "19", "type_tax_use": "purchase", "company_id": 1},
                        {"id": 2, "name": "7% Vorsteuer", "amount": "7", "type_tax_use": "purchase", "company_id": 1},
                        {"id": 3, "name": "19% Vorsteuer", "amount": "19", "type_tax_use": "purchase", "company_id": 2}]
    names = ["Medi Supply GmbH", "Laborbedarf Schmidt KG", "Dental Direct B.V.", "CleanCare Services Ltd",
             "Pharma Nord AG", "Orthomed SARL", "Sanitas S.p.A.", "Hospital IT Inc"]
    for v in range(vendors):
        pid = 100 + v
        domain = names[v % len(names)].split()[0].lower() + ".example"
        m["res.partner"].append({
            "id": pid, "name": names[v % len(names)] + ("" if v < len(names) else f" {v}"), "vat": VATS[v % 8],
            "email": f"billing@{domain}", "street": f"Straße {v}", "city": "Berlin", "zip": f"1{v:04d}",
            "country_code": COUNTRIES[v % 8], "is_company": True, "supplier_rank": 1 if v % 3 else 0,
            "company_id": None, "ref": f"V{v:04d}", "x_category": "consumables", "write_date": stamp(v)})
        m["res.partner.bank"].append({"id": 200 + v, "partner_id": pid, "acc_number": IBANS[v % 8],
                                      "bank_bic": "COBADEFFXXX", "allow_out_payment": True, "write_date": stamp(v)})
    m["res.partner"].append({"id": 99, "name": "A customer, not a vendor", "email": "x@customer.example",
                             "is_company": True, "supplier_rank": 0, "customer_rank": 1, "write_date": stamp(0)})
    for p in range(6):
        service = p == 5
        m["product.product"].append({
            "id": 300 + p, "name": "Cleaning service" if service else f"Nitrile gloves size {p}",
            "default_code": f"P-{p:03d}", "barcode": f"40000000{p:05d}", "uom_id": 1, "uom_po_id": 2 if p == 1 else 1,
            "categ_id": 2 if service else 1, "type": "service" if service else "consu", "is_storable": not service,
            "purchase_method": "purchase" if service else "receive", "write_date": stamp(0)})
    for v in range(vendors):
        for p in range(2):
            m["product.supplierinfo"].append({
                "id": 400 + v * 2 + p, "partner_id": 100 + v, "product_id": 300 + (v + p) % 6,
                "product_code": f"V{v}-{p}", "product_name": f"Vendor item {p}", "price": "4.10", "currency_id": 1,
                "write_date": stamp(v)})
    line_id, pick_id, move_id, bill_id = 1000, 5000, 7000, 9000
    for o in range(orders):
        oid = 600 + o
        vendor = 100 + o % vendors
        company = 1 if o % 3 else 2
        warehouse = 3 if company == 2 else 1 + o % 2
        state = ["purchase", "purchase", "done", "purchase", "cancel", "draft"][o % 6]
        po = {"id": oid, "name": f"P{oid:05d}", "partner_id": vendor, "partner_ref": f"SO-{o}", "state": state,
              "currency_id": 1, "company_id": company, "picking_type_id": warehouse,
              "date_order": stamp(o), "amount_untaxed": "0", "amount_tax": "0", "amount_total": "0",
              "invoice_status": "no", "receipt_status": None, "write_date": stamp(10 + o)}
        m["purchase.order"].append(po)
        lines = []
        for k in range(lines_per_order):
            product = 300 + (o + k) % 6
            qty = Decimal(rnd.choice([10, 20, 50, 100]))
            price = Decimal(rnd.choice(["4.10", "12.50", "0.35", "99.00"]))
            line = {"id": line_id, "order_id": oid, "sequence": 10 * (k + 1), "product_id": product,
                    "name": f"Item {k} of {o}", "product_qty": str(qty), "product_uom": 2 if product == 301 else 1,
                    "price_unit": str(price), "taxes_id": [1 if company == 1 else 3], "qty_received": "0",
                    "qty_invoiced": "0", "price_subtotal": str(qty * price), "display_type": None,
                    "write_date": stamp(10 + o)}
            lines.append(line)
            line_id += 1
        m["purchase.order.line"].extend(lines)
        if state not in ("purchase", "done"):
            continue
        goods = [ln for ln in lines if ln["product_id"] != 305]
        if not goods:
            continue
        # Receipts: full for "done" orders, partial with a backorder for every second, none otherwise.
        pattern = "full" if state == "done" else ["partial", "none", "full"][o % 3]
        first = {"id": pick_id, "name": f"WH/IN/{pick_id:05d}", "partner_id": vendor, "picking_type_id": warehouse,
                 "origin": po["name"], "purchase_id": oid, "state": "done" if pattern != "none" else "assigned",
                 "date_done": stamp(60 + o) if pattern != "none" else None, "backorder_id": None,
                 "company_id": company, "write_date": stamp(60 + o)}
        m["stock.picking"].append(first)
        pick_id += 1
        back = None
        if pattern == "partial":
            back = {**first, "id": pick_id, "name": f"WH/IN/{pick_id:05d}", "state": "assigned", "date_done": None,
                    "backorder_id": first["id"]}
            m["stock.picking"].append(back)
            pick_id += 1
        for ln in goods:
            qty = Decimal(ln["product_qty"])
            got = qty if pattern == "full" else (qty / 2 if pattern == "partial" else Decimal(0))
            m["stock.move"].append({"id": move_id, "picking_id": first["id"], "product_id": ln["product_id"],
                                    "purchase_line_id": ln["id"], "product_uom_qty": str(got or qty),
                                    "quantity": str(got or qty), "product_uom": ln["product_uom"],
                                    "state": "done" if got else "assigned", "picked": bool(got),
                                    "write_date": first["write_date"]})
            move_id += 1
            ln["qty_received"] = str(got)
            if back is not None:
                m["stock.move"].append({"id": move_id, "picking_id": back["id"], "product_id": ln["product_id"],
                                        "purchase_line_id": ln["id"], "product_uom_qty": str(qty - got),
                                        "quantity": str(qty - got), "product_uom": ln["product_uom"],
                                        "state": "assigned", "picked": False, "write_date": back["write_date"]})
                move_id += 1
        if pattern == "full" and o % 2 == 0:
            total = sum(Decimal(ln["price_subtotal"]) for ln in goods)
            m["account.move"].append({
                "id": bill_id, "name": f"BILL/2025/{bill_id:05d}", "move_type": "in_invoice", "partner_id": vendor,
                "ref": f"INV-{o:04d}", "invoice_date": "2025-03-05", "invoice_date_due": "2025-04-04",
                "amount_untaxed": str(total), "amount_tax": str((total * Decimal("0.19")).quantize(Decimal("0.01"))),
                "amount_total": str((total * Decimal("1.19")).quantize(Decimal("0.01"))), "currency_id": 1,
                "state": "posted", "company_id": company, "invoice_origin": po["name"], "write_date": stamp(90 + o)})
            bill_id += 1
            for ln in goods:
                ln["qty_invoiced"] = ln["qty_received"]
    _totals(m)
    return {"format": "payables-world/1", "seed": seed, "models": m}


def _totals(m: dict[str, list[dict[str, Any]]]) -> None:
    """Amounts and statuses as Odoo computes them, so the snapshot and a server loaded from it agree."""
    rates = {t["id"]: Decimal(t["amount"]) for t in m["account.tax"]}
    methods = {p["id"]: p["purchase_method"] for p in m["product.product"]}
    lines: dict[int, list[dict[str, Any]]] = {}
    for ln in m["purchase.order.line"]:
        lines.setdefault(ln["order_id"], []).append(ln)
    pickings: dict[int, list[str]] = {}
    for p in m["stock.picking"]:
        pickings.setdefault(p["purchase_id"], []).append(p["state"])
    cent = Decimal("0.01")
    for po in m["purchase.order"]:
        mine = lines.get(po["id"], [])
        untaxed = sum((Decimal(ln["price_subtotal"]) for ln in mine), Decimal(0))
        tax = sum(((Decimal(ln["price_subtotal"]) * rates[t] / 100).quantize(cent, ROUND_HALF_UP) for ln in mine
                   for t in ln["taxes_id"]), Decimal(0))
        po.update(amount_untaxed=str(untaxed), amount_tax=str(tax), amount_total=str(untaxed + tax))
        states = [s for s in pickings.get(po["id"], []) if s != "cancel"]
        po["receipt_status"] = (None if not states else "full" if all(s == "done" for s in states)
                                else "partial" if "done" in states else "pending")
        if po["state"] not in ("purchase", "done"):
            po["invoice_status"] = "no"
            continue
        to_invoice = [(Decimal(ln["product_qty"]) if methods[ln["product_id"]] == "purchase"
                       else Decimal(ln["qty_received"])) - Decimal(ln["qty_invoiced"]) for ln in mine]
        po["invoice_status"] = ("to invoice" if any(q != 0 for q in to_invoice) else
                                "invoiced" if any(Decimal(ln["qty_invoiced"]) for ln in mine) else "no")
