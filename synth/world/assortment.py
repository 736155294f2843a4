"""What each vendor sells: ``product.supplierinfo`` rows with the vendor's own codes, names and prices.

A vendor prices in its own currency; a product bought in cases of 12 or racks of 96 is priced from a
unit price, so that converting between the case and the unit is exact to the cent (a bill in units
must add up to the same amount as the PO line in cases).
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from synth.world.items import CatalogueItem
from synth.world.profiles import VendorProfile
from synth.world.records import SupplierInfo
from synth.world.store import World

RATES = {"EUR": Decimal(1), "USD": Decimal("1.08"), "GBP": Decimal("0.86")}
_CENT = Decimal("0.01")
_CODE_SCHEMES = ("{b3}-{n:04d}", "{n:06d}", "{b2}{n:05d}", "{n3}.{m3}", "{b3}{n:04d}", "{n:05d}-{b1}")


def vendor_price(item: CatalogueItem, pack: Decimal, currency: str, rng: random.Random) -> Decimal:
    """A purchase-unit price between the catalogue's bounds, exact when divided into reference units."""
    margin = Decimal(rng.randint(88, 114)) / 100
    low, high = item.low * RATES[currency] * margin, item.high * RATES[currency] * margin
    base = low + (high - low) * Decimal(rng.randint(0, 1000)) / 1000
    if pack in (Decimal(12), Decimal(24), Decimal(96)):
        unit = (base / pack).quantize(_CENT, ROUND_HALF_UP)
        return max(unit, _CENT) * pack
    return base.quantize(_CENT, ROUND_HALF_UP)


def build_assortment(world: World, profile: VendorProfile, items: list[CatalogueItem],
                     rng: random.Random, size: int | None = None) -> list[SupplierInfo]:
    # Most vendors list a handful of products; full-line distributors list the whole category.
    if size is None:
        size = rng.randint(6, 40) if rng.random() < 0.3 else rng.randint(6, 18)
    chosen = rng.sample(items, k=min(len(items), size))
    # A German supplier of medical aids or catering sells them at the reduced rate as well: list one.
    reduced = [i for i in items if i.reduced and i not in chosen]
    if profile.country == "DE" and reduced and not any(i.reduced for i in chosen):
        chosen.append(rng.choice(reduced))
    chosen.sort(key=lambda i: i.product_id)
    scheme = rng.choice(_CODE_SCHEMES)
    brand = "".join(c for c in profile.brand.upper() if c.isalpha())
    prefix_brand = rng.random() < 0.25
    start = rng.randint(10, 9000)
    rows = []
    for offset, item in enumerate(chosen):
        n = start + offset * rng.randint(1, 7)
        code = scheme.format(b3=brand[:3], b2=brand[:2], b1=brand[:1], n=n, n3=f"{n // 1000:03d}", m3=f"{n % 1000:03d}")
        name = item.de if profile.language == "de" else item.en
        if prefix_brand:
            name = f"{profile.brand} {name}"
        product = world.product(item.product_id)
        pack = world.uom(product.uom_po_id).factor_inv
        row = SupplierInfo(world.next_id("product.supplierinfo"), profile.key, item.product_id, code, name,
                           vendor_price(item, pack, profile.currency, rng), world.currency_id(profile.currency),
                           Decimal(1))
        world.supplierinfos.append(row)
        world.assortment[profile.key].append(row)
        rows.append(row)
    return rows
