"""The buyer: a healthcare group of two companies, twelve clinics and a central store, and its
currencies and purchase taxes.

Both companies are German and keep their books in EUR. Vendors from other EU states invoice without
VAT under the reverse-charge rule, vendors outside the EU without VAT as an export; German vendors
charge 19% or the reduced 7% (medical aids, patient catering). The companies round tax per rate
group over the whole document (Odoo's ``round_globally``), as invoices do.
"""

from __future__ import annotations

import random
from decimal import Decimal

from synth.identity import vat_id
from synth.world.places import EU
from synth.world.records import Company, Currency, PickingType, Tax, Warehouse
from synth.world.store import Site, World

GROUP_DOMAIN = "rheinwald-kliniken.de"
AP_INBOX = f"rechnungseingang@{GROUP_DOMAIN}"

_COMPANIES = (
    ("Rheinwald Kliniken GmbH", "Aachener Straße 1040", "Köln", "50858"),
    ("Rheinwald MVZ Süd GmbH", "Leopoldstraße 210", "München", "80807"),
)
# (company index, site name, code, street, city, zip)
_SITES = (
    (0, "Zentrallager Köln-Porz", "ZLK", "Frankfurter Straße 666", "Köln", "51145"),
    (0, "Klinik Köln-Lindenthal", "KLI", "Kerpener Straße 62", "Köln", "50937"),
    (0, "Klinik Köln-Mülheim", "KMH", "Buchheimer Straße 18", "Köln", "51063"),
    (0, "Praxisklinik Bonn", "BON", "Adenauerallee 119", "Bonn", "53113"),
    (0, "Klinik Düsseldorf-Gerresheim", "DGE", "Heyestraße 96", "Düsseldorf", "40625"),
    (0, "Tagesklinik Leverkusen", "LEV", "Dhünnberg 60", "Leverkusen", "51375"),
    (0, "Klinik Aachen", "AAC", "Pauwelsstraße 30", "Aachen", "52074"),
    (0, "Zahnklinik Köln-Ehrenfeld", "KEH", "Venloer Straße 389", "Köln", "50825"),
    (1, "MVZ München-Schwabing", "MSW", "Kölner Platz 1", "München", "80804"),
    (1, "MVZ München-Pasing", "MPA", "Landsberger Straße 480", "München", "81241"),
    (1, "MVZ Augsburg", "AUG", "Stenglinstraße 2", "Augsburg", "86156"),
    (1, "Zahn-MVZ Rosenheim", "ROS", "Pettenkoferstraße 10", "Rosenheim", "83022"),
    (1, "Labor Süd Freising", "FRE", "Alois-Steinecker-Straße 18", "Freising", "85354"),
)
TAX_STANDARD, TAX_REDUCED, TAX_REVERSE_CHARGE, TAX_EXPORT = "standard", "reduced", "reverse_charge", "export"
_TAXES = (
    (TAX_STANDARD, "19% Vorsteuer", Decimal("19")),
    (TAX_REDUCED, "7% Vorsteuer", Decimal("7")),
    (TAX_REVERSE_CHARGE, "0% EU Reverse Charge (§13b UStG)", Decimal("0")),
    (TAX_EXPORT, "0% Einfuhr / Drittland", Decimal("0")),
)


def build_buyer(world: World, rng: random.Random) -> None:
    for code, symbol in (("EUR", "€"), ("USD", "$"), ("GBP", "£")):
        world.currencies.append(Currency(world.next_id("res.currency"), code, symbol))
    eur = world.currency_id("EUR")
    for name, street, city, zip_code in _COMPANIES:
        vat = vat_id("DE", rng)
        assert vat is not None
        world.companies.append(Company(world.next_id("res.company"), name, vat, street, city, zip_code, "DE",
                                       eur, AP_INBOX))
    for company_index, name, code, street, city, zip_code in _SITES:
        company = world.companies[company_index]
        warehouse = Warehouse(world.next_id("stock.warehouse"), name, code, company.id)
        world.warehouses.append(warehouse)
        ptype = PickingType(world.next_id("stock.picking.type"), f"{name}: Receipts", "incoming", warehouse.id,
                            company.id)
        world.picking_types.append(ptype)
        world.sites.append(Site(warehouse.id, ptype.id, company.id, name, code, street, city, zip_code))
    for company in world.companies:
        for _kind, name, amount in _TAXES:
            world.taxes.append(Tax(world.next_id("account.tax"), name, amount, "percent", "purchase", company.id))


def tax_for(world: World, company_id: int, vendor_country: str, reduced: bool) -> Tax:
    """The purchase tax a PO line carries for a product bought from a vendor in ``vendor_country``."""
    if vendor_country == "DE":
        kind = TAX_REDUCED if reduced else TAX_STANDARD
    elif vendor_country in EU:
        kind = TAX_REVERSE_CHARGE
    else:
        kind = TAX_EXPORT
    name = next(n for k, n, _ in _TAXES if k == kind)
    return next(t for t in world.taxes if t.company_id == company_id and t.name == name)


def tax_rate_of_kind(kind: str) -> Decimal:
    return next(a for k, _, a in _TAXES if k == kind)
