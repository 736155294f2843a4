"""Units of measure with Odoo's semantics: per category one reference unit (factor 1); a bigger unit
such as "Box of 100" has factor 0.01 (a hundredth of a box makes one unit) and ``factor_inv`` 100."""

from __future__ import annotations

from decimal import Decimal

from synth.world.records import Uom, UomCategory
from synth.world.store import World

# category → [(name, uom_type, how many reference units one of these holds)]
UNITS: dict[str, list[tuple[str, str, Decimal]]] = {
    "Unit": [("Units", "reference", Decimal(1)), ("Pack of 10", "bigger", Decimal(10)),
             ("Case of 12", "bigger", Decimal(12)), ("Case of 24", "bigger", Decimal(24)),
             ("Box of 50", "bigger", Decimal(50)), ("Box of 100", "bigger", Decimal(100)),
             ("Rack of 96", "bigger", Decimal(96))],
    "Weight": [("kg", "reference", Decimal(1)), ("g", "smaller", Decimal("0.001"))],
    "Volume": [("L", "reference", Decimal(1)), ("mL", "smaller", Decimal("0.001"))],
    "Working Time": [("Hours", "reference", Decimal(1)), ("Days", "bigger", Decimal(8))],
}
_FACTOR_PLACES = Decimal("0.000000000001")


def build_units(world: World) -> None:
    for category, units in UNITS.items():
        cat = UomCategory(world.next_id("uom.category"), category)
        world.uom_categories.append(cat)
        for name, uom_type, size in units:
            factor = (Decimal(1) / size).quantize(_FACTOR_PLACES).normalize()
            world.uoms.append(Uom(world.next_id("uom.uom"), name, cat.id, factor, size.normalize(), uom_type,
                                  Decimal("0.01")))


def uom_named(world: World, name: str) -> Uom:
    return next(u for u in world.uoms if u.name == name)


def reference_units(world: World, uom: Uom) -> Decimal:
    """How many reference units one ``uom`` holds (exact: Odoo's ``factor_inv``)."""
    return uom.factor_inv
