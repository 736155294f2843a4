"""Matching speed and vendor-resolution accuracy at the scale of a large buyer, and where the
``threeway`` package (PyPI) disagrees with our three-way match on the same scenarios.

    .venv/bin/python bench/match.py [--vendors 50000] [--po-lines 100000] [--invoices 2000]
                                    [--variants 5000] [--naive 200] [--seed 7] [--json OUT.json]

1. Time per invoice (median, p95) of ``match_invoice`` over an in-memory mirror of N vendors and M open
   PO lines, with the index built once; against a naive baseline in the same run: the same engine with
   every lookup a linear scan (vendors by identifier and by rapidfuzz over all names, orders by number).
2. Vendor resolution on noisy name variants (typos, legal forms, word order, OCR slips, case, umlauts):
   right, ambiguous (a hold, not a wrong answer), wrong, unknown.
3. The same scenarios exported as threeway's CSV input (po/grn/invoice), reconciled with tolerances set
   like our defaults, and each disagreement counted by scenario kind.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from rapidfuzz import fuzz, process
from stdnum import iban as std_iban
from stdnum.iso7064 import mod_11_10

from matching.engine import DocumentContext, match_invoice
from matching.index import MatchIndex
from matching.memory_view import MemoryMirror
from matching.mirror_view import (
    CompanyRecord,
    OrderLineRecord,
    OrderRecord,
    ProductRecord,
    SupplierInfoRecord,
    TaxRecord,
    UomRecord,
    VendorRecord,
)
from matching.po_numbers import OrderNumberIndex, exact_key, tolerant_key
from matching.policy import default_policy
from matching.vendors import VendorClues, resolve_vendor
from matching.vendors.index import NameHit, VendorIndex, name_score
from matching.vendors.normalise import match_key
from models.identifiers import normalise_iban, normalise_vat, vat_without_country
from models.invoice import FieldValue, InvoiceData, LineItem

D = Decimal
SURNAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch",
    "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
    "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Smith", "Jones", "Taylor", "Brown",
    "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White",
    "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Martin", "Bernard", "Dubois", "Thomas", "Robert",
    "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
    "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    "Bruno", "Gallo", "Conti", "Costa", "Giordano", "Mancini", "Rizzo", "Lombardi", "Moretti", "Barbieri",
    "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "de", "Jong", "Jansen", "de", "Vries",
    "van", "den", "Berg", "van", "Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "de", "Boer", "Mulder",
    "de", "Groot", "Bos", "Vos", "Peters", "Hendriks", "van", "Leeuwen", "Dekker", "Brouwer", "de", "Wit",
    "Dijkstra", "Smits", "de", "Graaf", "van", "der", "Meer", "García", "Fernández", "González", "Rodríguez",
    "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno",
    "Álvarez", "Muñoz", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos",
    "Gil", "Ramírez", "Serrano", "Blanco", "Molina", "Morales", "Suárez", "Ortega", "Delgado", "Castro", "Ortiz",
    "Rubio", "Marín", "Sanz", "Núñez", "Iglesias", "Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano",
    "Guerrero", "Cano", "Prieto", "Méndez", "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson",
    "Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Nowak", "Kowalski", "Wiśniewski",
    "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Novák",
    "Svoboda", "Novotný", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý", "Horák", "Němec", "Pokorný", "Marek",
    "Pospíšil", "Hájek", "Jelínek", "Král", "O'Brien", "Murphy", "Kelly", "Sullivan", "Walsh", "McCarthy", "Byrne",
    "Ryan", "O'Connor", "Doyle", "Lynch", "Murray", "Quinn", "Moore", "McLaughlin", "Keller", "Huber", "Baumann",
    "Frei", "Gerber", "Brunner", "Steiner", "Moser", "Widmer", "Graf", "Wyss", "Fuchs", "Berger", "Egger", "Gruber",
    "Pichler", "Mayer"
]
FIELDS = """Medizintechnik|Medical|Medical Supplies|Medical Systems|Pharma|Pharmaceuticals|Laborbedarf|Laboratory
Supplies|Dental|Dental Supply|Dentalhandel|Diagnostics|Diagnostica|Healthcare|Health Care Products|Surgical|
Surgical Instruments|Hospital Supply|Klinikbedarf|Instruments|Orthopedics|Orthopädietechnik|Labs|Biotech|
Reagents|Life Sciences|Scientific|Facility Services|Gebäudereinigung|Cleaning Services|Hygiene|Hygienetechnik|
IT Solutions|Software|Informatique|Logistics|Medical Logistics|Sterilisation|Sterile Services|Wound Care|
Verbandstoffe|Respiratory|Anaesthesia|Imaging|Radiology Systems|Ultrasound|Cardiology|Endoscopy|Infusion
Technology|Textiles|Office Supplies|Bürobedarf|Catering|Waste Management|Security Services|Elevator Service|
Energy|Pharmacie|Farmaceutici|Forniture Mediche|Suministros Médicos|Medische Groothandel""".replace("\n", " ")
FIELDS_L = [f.strip() for f in FIELDS.split("|")]
CITIES = [
    "Hamburg", "Berlin", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf", "Leipzig", "Dortmund", "Essen",
    "Bremen", "Dresden", "Hannover", "Nürnberg", "London", "Manchester", "Birmingham", "Leeds", "Glasgow",
    "Bristol", "Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Strasbourg", "Milano", "Roma", "Torino",
    "Napoli", "Bologna", "Firenze", "Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Amsterdam",
    "Rotterdam", "Utrecht", "Eindhoven", "Antwerpen", "Brussel", "Gent", "Wien", "Graz", "Linz", "Zürich", "Basel",
    "Bern", "Genève", "Stockholm", "Göteborg", "Malmö", "Praha", "Brno", "Warszawa", "Kraków", "Dublin", "Cork",
    "Lisboa", "Porto", "Nordic", "Alpine", "Atlantic", "Baltic", "Rhein", "Elbe", "Main", "Donau", "Thames"
]
PREFIXES = ["Medi", "Pharma", "Dental", "Lab", "Bio", "Cardio", "Ortho", "Steri", "Clini", "Hospi", "Vita", "Neo",
            "Pro", "Euro", "Inter", "Uni", "Omni", "Prime", "Nova", "Opti", "Care", "Health", "Med", "Dia", "Sano"]
SUFFIXES = ["tec", "med", "lab", "care", "plus", "line", "tronic", "pharm", "dent", "vision", "logic", "sys", "gen",
            "cura", "vita", "form", "path", "trade", "source", "point"]
FORMS = {"DE": ["GmbH", "AG", "GmbH & Co. KG", "KG", "e.K."], "GB": ["Ltd", "Limited", "plc", "LLP"],
         "FR": ["SARL", "SAS", "S.A."], "IT": ["S.p.A.", "S.r.l."], "ES": ["S.L.", "S.A."], "NL": ["B.V.", "N.V."],
         "BE": ["BVBA", "NV"], "AT": ["GmbH", "AG"], "CH": ["AG", "GmbH", "SA"], "SE": ["AB"], "US": ["Inc", "LLC"],
         "PL": ["Sp. z o.o."], "CZ": ["s.r.o."], "IE": ["Ltd"]}
OCR = [("rn", "m"), ("m", "rn"), ("l", "1"), ("O", "0"), ("o", "0"), ("e", "c"), ("i", "l"), ("S", "5"), ("B", "8"),
       ("cl", "d"), ("h", "b"), ("u", "v")]


# -- the world --------------------------------------------------------------------------------------

def vendor_name(rng: random.Random) -> tuple[str, str]:
    country = rng.choice(list(FORMS))
    s1, s2 = rng.choice(SURNAMES), rng.choice(SURNAMES)
    field, city = rng.choice(FIELDS_L), rng.choice(CITIES)
    coined = rng.choice(PREFIXES) + rng.choice(SUFFIXES)
    pattern = rng.randrange(8)
    base = [f"{s1} {field}", f"{s1} & {s2}", f"{field} {city}", f"{coined} {field}", f"{s1} {field} {city}",
            f"{coined}", f"{s1} & {s2} {field}", f"{coined} {city}"][pattern]
    return f"{base} {rng.choice(FORMS[country])}", country


def de_vat(n: int) -> str:
    body = f"{10000000 + n:08d}"
    return "DE" + body + mod_11_10.calc_check_digit(body)


def de_iban(n: int) -> str:
    bban = f"37040044{n:010d}"
    return "DE" + std_iban.calc_check_digits("DE00" + bban) + bban


@dataclass
class Bench:
    mirror: MemoryMirror
    vendors: list[VendorRecord]
    orders: list[OrderRecord]
    lines_by_order: dict[int, list[OrderLineRecord]]
    products: dict[int, ProductRecord]


def build_world(n_vendors: int, n_lines: int, rng: random.Random) -> Bench:
    vendors, seen = [], set()
    while len(vendors) < n_vendors:
        name, country = vendor_name(rng)
        key = match_key(name)
        if key in seen:
            continue
        seen.add(key)
        i = len(vendors) + 1
        domain = f"{key.replace(' ', '')[:20]}{i}.example"
        vendors.append(VendorRecord(i, name, vat=de_vat(i), bank_accounts=(de_iban(i),), domains=(domain,),
                                    zip=f"{10000 + i % 89999}", city=rng.choice(CITIES), country=country))
    units = UomRecord(1, "Units", "Unit", D(1), "reference")
    box = UomRecord(2, "Box of 100", "Unit", D("0.01"), "bigger")
    tax = TaxRecord(1, "19%", D(19))
    words = ["gloves", "masks", "syringes", "swabs", "gauze", "catheter", "cannula", "bandage", "tape", "sutures",
             "scalpel", "tubes", "pipettes", "reagent", "drapes", "gowns", "electrodes", "filters", "sensors", "caps"]
    sizes = ["S", "M", "L", "XL", "5ml", "10ml", "20ml", "8cm", "10cm", "sterile", "non-sterile", "latex-free"]
    products, supplier = {}, []
    for pid in range(1, 4001):
        name = f"{rng.choice(words).capitalize()} {rng.choice(words)} {rng.choice(sizes)} {pid}"
        products[pid] = ProductRecord(pid, name, default_code=f"P{pid:05d}", uom_id=1,
                                      purchase_method=rng.choice(["receive"] * 4 + ["purchase"]))
    orders, lines, lines_by_order = [], [], {}
    line_id = 0
    order_id = 0
    while len(lines) < n_lines:
        order_id += 1
        v = vendors[rng.randrange(len(vendors))]
        o = OrderRecord(order_id, f"P{order_id:05d}", v.id, "purchase", "EUR", company_id=1,
                        date_order=datetime(2025, 1, 1, tzinfo=UTC))
        orders.append(o)
        own = []
        for seq, pid in enumerate(rng.sample(range(1, 4001), rng.randint(1, 9)), start=1):
            line_id += 1
            qty = D(rng.choice([10, 20, 50, 100, 200]))
            received = qty if rng.random() < 0.8 else D(0)
            ln = OrderLineRecord(line_id, order_id, products[pid].name, qty, D(rng.randint(20, 3000)) / 100, pid,
                                 received, D(0), (1,), 1, seq * 10)
            own.append(ln)
            lines.append(ln)
            supplier.append(SupplierInfoRecord(v.id, pid, f"V{v.id}-{pid}", products[pid].name))
        lines_by_order[order_id] = own
    mirror = MemoryMirror.build(vendors=vendors, orders=orders, lines=lines, products=products.values(),
                                supplier_info=supplier, uoms=(units, box), taxes=(tax,),
                                companies=(CompanyRecord(1, "Buyer", vat="DE811907980"),))
    return Bench(mirror, vendors, orders, lines_by_order, products)


# -- invoices and scenarios -------------------------------------------------------------------------------

KINDS = ["clean", "clean", "clean", "clean", "clean_no_po", "clean_name_only", "price_over", "qty_over_received",
         "not_received", "partial"]


def fv(value: Any) -> FieldValue:
    return FieldValue(str(value), 0.99)


def make_invoice(b: Bench, rng: random.Random, n: int) -> tuple[str, InvoiceData, OrderRecord, dict[str, Any]]:
    kind = KINDS[n % len(KINDS)]
    while True:
        o = b.orders[rng.randrange(len(b.orders))]
        own = b.lines_by_order[o.id]
        received = [ln for ln in own if ln.qty_received > 0]
        if kind == "not_received":
            chosen = [ln for ln in own if ln.qty_received == 0 and b.products[ln.product_id or 0].purchase_method
                      == "receive"][:1]
        else:
            chosen = received[:4]
        if chosen:
            break
    v = b.mirror.vendors_by_id[o.vendor_id]
    items, net = [], D(0)
    for i, ln in enumerate(chosen):
        qty, price = ln.qty_received or ln.product_qty, ln.price_unit
        if kind == "price_over" and i == 0:
            price = (price * D("1.10")).quantize(D("0.01"))
        if kind == "qty_over_received" and i == 0:
            qty += 5
        if kind == "partial":
            qty = max(D(1), (qty / 2).quantize(D(1)))
        amount = (qty * price).quantize(D("0.01"))
        net += amount
        items.append(LineItem(fields={"description": fv(ln.name), "product_code": fv(f"V{v.id}-{ln.product_id}"),
                                      "quantity": fv(qty), "unit_price": fv(price), "amount": fv(amount),
                                      "tax_rate": fv(19)}, confidence=0.99))
    tax = (net * D("0.19")).quantize(D("0.01"))
    fields = {"invoice_number": fv(f"INV-{n:06d}"), "invoice_date": fv("2025-03-20"), "currency": fv("EUR"),
              "net_amount": fv(net), "tax_amount": fv(tax), "total_amount": fv(net + tax),
              "vendor_name": fv(v.name)}
    if kind != "clean_name_only":
        fields["vendor_vat"] = fv(v.vat)
        fields["vendor_iban"] = fv(v.bank_accounts[0])
    if kind != "clean_no_po":
        fields["po_number"] = fv(o.name)
    expected = {"kind": kind, "vendor_id": v.id, "lines": [ln.id for ln in chosen]}
    return kind, InvoiceData(fields=fields, lines=items, po_numbers=[o.name] if kind != "clean_no_po" else []), o, \
        expected


# -- the naive baseline ---------------------------------------------------------------------------------

class NaiveVendorIndex(VendorIndex):
    """The same answers without indexes: every lookup scans every vendor."""

    def by_vat(self, vat: str | None) -> set[int]:
        full, bare = normalise_vat(vat), vat_without_country(vat)
        return {v.id for v in self.vendors.values() if full and normalise_vat(v.vat) in (full, "DE" + bare)}

    def by_iban(self, iban: str | None) -> set[int]:
        key = normalise_iban(iban)
        return {v.id for v in self.vendors.values() if key and key in {normalise_iban(a) for a in v.bank_accounts}}

    def by_domain(self, domain: str | None) -> set[int]:
        return {v.id for v in self.vendors.values() if domain and domain in v.domains}

    def search_name(self, name: str | None, limit: int = 5) -> list[NameHit]:
        key = match_key(name)
        keys = [match_key(v.name) for v in self.vendors.values()]
        ids = list(self.vendors)
        found = process.extract(key, keys, scorer=fuzz.WRatio, limit=limit * 4)
        hits = sorted((NameHit(ids[i], name_score(key, keys[i])) for _, _, i in found), key=lambda h: -h.score)
        return hits[:limit]


class NaiveOrderIndex(OrderNumberIndex):
    def __init__(self, orders: list[tuple[int, str, int]]) -> None:
        super().__init__(orders)
        self._all = orders

    def lookup(self, printed: str) -> tuple[set[int], str]:
        exact = {i for i, name, _ in self._all if exact_key(name) == exact_key(printed)}
        if exact:
            return exact, "exact"
        key = tolerant_key(printed)
        tolerant = {i for i, name, _ in self._all if key and tolerant_key(name) == key}
        return (tolerant, "tolerant") if tolerant else (set(), "none")


# -- runs ---------------------------------------------------------------------------------------------------

def time_matching(b: Bench, index: MatchIndex, invoices: list[tuple[str, InvoiceData, OrderRecord, dict[str, Any]]]
                  ) -> tuple[list[float], Counter[str], int, dict[int, bool]]:
    policy = default_policy()
    times, outcomes, lines_right = [], Counter(), 0
    auto: dict[int, bool] = {}
    for n, (kind, inv, _, expected) in enumerate(invoices):
        start = time.perf_counter()
        out = match_invoice(inv, b.mirror, index, policy, DocumentContext(document_id=n + 1))
        times.append((time.perf_counter() - start) * 1000)
        outcomes[f"{kind}:{'auto' if out.routing.auto_approve else 'review'}"] += 1
        auto[n] = out.routing.auto_approve
        lines_right += sum(out.po_line_of(i) == lid for i, lid in enumerate(expected["lines"]))
    return times, outcomes, lines_right, auto


def noisy(name: str, rng: random.Random) -> tuple[str, str]:
    """A variant of ``name`` as invoices print it, and which kinds of noise were applied."""
    applied = []
    words = name.split()
    for _ in range(rng.choice([1, 1, 2])):
        kind = rng.choice(["typo", "legal", "order", "ocr", "case", "umlaut"])
        applied.append(kind)
        if kind == "typo":
            w = rng.randrange(len(words))
            word = words[w]
            if len(word) > 3:
                p = rng.randrange(1, len(word) - 1)
                op = rng.randrange(3)
                word = (word[:p] + word[p + 1:] if op == 0 else word[:p] + word[p + 1] + word[p] + word[p + 2:]
                        if op == 1 and p + 1 < len(word) else word[:p] + rng.choice("aeinorst") + word[p + 1:])
            words[w] = word
        elif kind == "legal":
            words = [w for w in words if match_key(w) not in ("", *[]) and match_key(w)] or words
            words.append(rng.choice(["GmbH", "Ltd", "S.A.", "B.V.", "Inc.", "SARL", ""]))
        elif kind == "order" and len(words) > 2:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif kind == "ocr":
            text = " ".join(words)
            options = [(a, c) for a, c in OCR if a in text]
            if options:
                a, c = rng.choice(options)
                text = text.replace(a, c, 1)
            words = text.split()
        elif kind == "case":
            words = [w.upper() for w in words]
        elif kind == "umlaut":
            words = [w.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("é", "e") for w in words]
    return " ".join(w for w in words if w), "+".join(applied)


def resolution_accuracy(index: VendorIndex, vendors: list[VendorRecord], n: int, rng: random.Random
                        ) -> dict[str, Any]:
    result: Counter[str] = Counter()
    by_noise: dict[str, Counter[str]] = defaultdict(Counter)
    times = []
    for _ in range(n):
        v = vendors[rng.randrange(len(vendors))]
        variant, applied = noisy(v.name, rng)
        start = time.perf_counter()
        r = resolve_vendor(VendorClues(name=variant), index)
        times.append((time.perf_counter() - start) * 1000)
        verdict = ("right" if r.vendor_id == v.id else "wrong" if r.vendor_id is not None else
                   "ambiguous" if r.candidates and any(c.vendor_id == v.id for c in r.candidates) and r.findings
                   and r.findings[0].code.value == "VENDOR_AMBIGUOUS" else "unknown")
        result[verdict] += 1
        for a in applied.split("+"):
            by_noise[a][verdict] += 1
    return {"counts": dict(result), "right_share": result["right"] / n, "wrong_share": result["wrong"] / n,
            "median_ms": statistics.median(times), "by_noise": {k: dict(c) for k, c in by_noise.items()}}


def threeway_compare(b: Bench, invoices: list[tuple[str, InvoiceData, OrderRecord, dict[str, Any]]],
                     ours: dict[int, bool]) -> dict[str, Any]:
    """Export every scenario as threeway's po/grn/invoice CSVs (keys made unique per scenario) and
    compare its verdict (any line not ``matched``) with ours (review vs auto-approve)."""
    from threeway.core import reconcile
    from threeway.csvio import read_goods_received, read_invoices, read_purchase_orders

    with tempfile.TemporaryDirectory() as tmp:
        po_path, grn_path, inv_path = (Path(tmp) / f for f in ("po.csv", "grn.csv", "invoice.csv"))
        with po_path.open("w", newline="") as po_f, grn_path.open("w", newline="") as grn_f, \
                inv_path.open("w", newline="") as inv_f:
            po_w, grn_w, inv_w = csv.writer(po_f), csv.writer(grn_f), csv.writer(inv_f)
            po_w.writerow(["po_number", "item_code", "ordered_qty", "unit_price"])
            grn_w.writerow(["po_number", "item_code", "received_qty"])
            inv_w.writerow(["po_number", "item_code", "invoiced_qty", "unit_price"])
            for n, (_, inv, o, expected) in enumerate(invoices):
                key = f"S{n}-{o.name}"
                for ln in b.lines_by_order[o.id]:
                    if ln.id not in expected["lines"]:
                        continue
                    po_w.writerow([key, ln.product_id, ln.product_qty, ln.price_unit])
                    grn_w.writerow([key, ln.product_id, ln.qty_received])
                for item, lid in zip(inv.lines, expected["lines"], strict=True):
                    line = next(x for x in b.lines_by_order[o.id] if x.id == lid)
                    inv_w.writerow([key, line.product_id, item.get("quantity"), item.get("unit_price")])
        result = reconcile(read_purchase_orders(str(po_path)), read_goods_received(str(grn_path)),
                           read_invoices(str(inv_path)), qty_tolerance=D(0), value_tolerance=D("10.00"),
                           pct_tolerance=D(2))
    flagged: dict[int, list[str]] = defaultdict(list)
    for line in result.lines:
        if line.status != "matched":
            flagged[int(line.po_number[1:].split("-")[0])].append(line.reason)
    table: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    for n, (kind, _, _, _) in enumerate(invoices):
        theirs_held, ours_held = n in flagged, not ours[n]
        verdict = "agree" if theirs_held == ours_held else ("only threeway holds" if theirs_held
                                                             else "only we hold")
        table[kind][verdict] += 1
        for reason in flagged.get(n, [])[:1]:
            reasons[kind][reason] += 1
    return {"by_kind": {k: dict(c) for k, c in table.items()}, "threeway_reasons": {k: dict(c) for k, c in
                                                                                     reasons.items()}}


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vendors", type=int, default=50_000)
    ap.add_argument("--po-lines", type=int, default=100_000)
    ap.add_argument("--invoices", type=int, default=2000)
    ap.add_argument("--variants", type=int, default=5000)
    ap.add_argument("--naive", type=int, default=200, help="invoices for the naive baseline (it is slow)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    t0 = time.perf_counter()
    b = build_world(args.vendors, args.po_lines, rng)
    t1 = time.perf_counter()
    index = MatchIndex.build(b.mirror)
    t2 = time.perf_counter()
    invoices = [make_invoice(b, rng, n) for n in range(args.invoices)]
    times, outcomes, lines_right, ours = time_matching(b, index, invoices)
    total_lines = sum(len(e["lines"]) for *_, e in invoices)
    snap = b.mirror.snapshot()
    naive_index = MatchIndex(index.revision, NaiveVendorIndex(snap), NaiveOrderIndex(list(snap.orders)), {}, {})
    naive_times, _, _, _ = time_matching(b, naive_index, invoices[:args.naive])
    fast_subset = times[:args.naive]
    accuracy = resolution_accuracy(index.vendors, b.vendors, args.variants, random.Random(args.seed + 1))
    compare = threeway_compare(b, invoices, ours)

    report = {
        "vendors": args.vendors, "open_po_lines": sum(len(v) for v in b.lines_by_order.values()),
        "orders": len(b.orders), "invoices": args.invoices,
        "world_build_s": round(t1 - t0, 2), "index_build_s": round(t2 - t1, 2),
        "indexed_ms": {"median": round(statistics.median(times), 3), "p95": round(pct(times, 95), 3)},
        "indexed_on_naive_subset_ms": {"median": round(statistics.median(fast_subset), 3),
                                       "p95": round(pct(fast_subset, 95), 3)},
        "naive_ms": {"median": round(statistics.median(naive_times), 3), "p95": round(pct(naive_times, 95), 3),
                     "invoices": len(naive_times)},
        "speedup_median": round(statistics.median(naive_times) / statistics.median(fast_subset), 1),
        "outcomes": dict(sorted(outcomes.items())),
        "line_match_accuracy": round(lines_right / total_lines, 4),
        "vendor_resolution": accuracy,
        "threeway": compare,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
