"""Units of measure: reading the unit printed on an invoice line and converting through Odoo's factors.

Odoo's ``factor`` says how many of a unit make one reference unit of its category (Units 1.0, a box of
100 is 0.01, a dozen 1/12). Converting as Odoo does: quantity / from.factor * to.factor, and a price
the other way round. Invoice units come as words in several languages or as UN/ECE Rec. 20 codes
(C62, H87, XBX… in e-invoices); both are reduced to a family ("unit", "box"…) and, when printed, a
pack size ("box of 100"), which together pick the ERP unit within the PO line's category.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from matching.mirror_view import UomRecord
from matching.vendors.normalise import fold

_FAMILIES: dict[str, tuple[str, ...]] = {
    "unit": ("unit", "units", "each", "ea", "pc", "pcs", "piece", "pieces", "stk", "stuck", "st", "pce", "u",
             "un", "unite", "unites", "unidad", "unidades", "uds", "ud", "pezzo", "pezzi", "pz", "stuks", "x", "c62",
             "h87", "item", "items", "nar", "no"),
    "box": ("box", "boxes", "bx", "xbx", "boite", "boites", "bte", "karton", "schachtel", "caja", "cajas",
            "scatola", "scatole", "doos", "dozen box"),
    "case": ("case", "cases", "cs", "xcs", "carton", "cartons", "kiste", "caisse", "caisses"),
    "pack": ("pack", "packs", "pk", "xpk", "pkg", "package", "packung", "paquet", "paquete", "confezione",
             "pak", "pakket"),
    "dozen": ("dozen", "dozens", "dz", "dzn", "dutzend", "douzaine", "docena", "dozzina"),
    "kg": ("kg", "kgs", "kgm", "kilogram", "kilograms", "kilo", "kilos", "kilogramm"),
    "g": ("g", "gr", "grm", "gram", "grams", "gramm", "gramme"),
    "l": ("l", "lt", "ltr", "litre", "litres", "liter", "liters", "litro", "litri"),
    "ml": ("ml", "mlt", "millilitre", "milliliter"),
    "m": ("m", "mtr", "metre", "meter", "meters", "metres", "metro"),
    "hour": ("h", "hr", "hrs", "hour", "hours", "hur", "std", "stunde", "stunden", "heure", "heures", "hora",
             "horas", "ora", "ore", "uur"),
    "day": ("day", "days", "d", "tag", "tage", "jour", "jours", "dia", "dias", "giorno", "giorni", "dag", "dagen"),
    "month": ("month", "months", "mon", "monat", "mois", "mes", "mese", "maand"),
    "roll": ("roll", "rolls", "rolle", "rouleau", "rollo", "rotolo", "rol"),
    "bottle": ("bottle", "bottles", "flasche", "flacon", "bouteille", "botella", "bottiglia", "fles"),
    "pair": ("pair", "pairs", "paar", "paire", "par", "paio", "pr"),
}
_FAMILY_OF: dict[str, str] = {word: fam for fam, words in _FAMILIES.items() for word in words}
_WORD = re.compile(r"[a-z]+")
_NUMBER = re.compile(r"\d+")


def unit_family(text: str | None) -> str | None:
    """``"Box of 100"`` → ``"box"``, ``"C62"`` → ``"unit"``, ``"Stück"`` → ``"unit"``."""
    if not text:
        return None
    folded = fold(text)
    whole = re.sub(r"[^a-z0-9]", "", folded)
    if whole in _FAMILY_OF:
        return _FAMILY_OF[whole]
    for word in _WORD.findall(folded):
        if word in _FAMILY_OF and word not in {"of", "x"}:
            return _FAMILY_OF[word]
    return None


def pack_size(text: str | None) -> int | None:
    """The count a pack unit states: ``"Box of 100"`` → 100, ``"BX100"`` → 100, ``"Case/12"`` → 12."""
    if not text or re.sub(r"[^a-z0-9]", "", fold(text)) in _FAMILY_OF:  # a code such as C62 states no size
        return None
    numbers = [int(n) for n in _NUMBER.findall(text)]
    return numbers[0] if len(numbers) == 1 and numbers[0] > 1 else None


def size_in_reference(uom: UomRecord) -> Decimal:
    """How many reference units one of ``uom`` holds (a box of 100 → 100)."""
    return Decimal(1) / uom.factor if uom.factor else Decimal(0)


def resolve_unit(text: str | None, candidates: Iterable[UomRecord]) -> UomRecord | None:
    """The ERP unit an invoice's unit text means, among ``candidates`` (the PO line's category)."""
    if not text:
        return None
    cands = list(candidates)
    folded = fold(text).strip()
    by_name = [u for u in cands if fold(u.name).strip() == folded]
    if len(by_name) == 1:
        return by_name[0]
    family = unit_family(text)
    if family is None:
        return None
    same_family = [u for u in cands if unit_family(u.name) == family]
    size = pack_size(text)
    if size is not None:
        sized = [u for u in same_family if size_in_reference(u) == size]
        if len(sized) == 1:
            return sized[0]
    if len(same_family) == 1:
        return same_family[0]
    if family == "unit":
        reference = [u for u in cands if u.uom_type == "reference" or u.factor == 1]
        if len(reference) == 1:
            return reference[0]
    return None


def category_units(uoms: Mapping[int, UomRecord], uom_id: int | None) -> list[UomRecord]:
    base = uoms.get(uom_id) if uom_id is not None else None
    if base is None:
        return []
    return [u for u in uoms.values() if u.category == base.category]


# Odoo stores factors rounded (a rack of 96 is 0.010416666667), so a conversion leaves dust in the
# tenth decimal; quantities and prices are kept to six places, as Odoo's own precisions are coarser.
PRECISION = Decimal("0.000001")


def convert_qty(qty: Decimal, from_uom: UomRecord, to_uom: UomRecord) -> Decimal:
    if from_uom.id == to_uom.id:
        return qty
    return (qty / from_uom.factor * to_uom.factor).quantize(PRECISION).normalize()


def convert_price(price: Decimal, from_uom: UomRecord, to_uom: UomRecord) -> Decimal:
    """A price per ``from_uom`` as a price per ``to_uom``: a box of 100 at 50.00 is 0.50 per unit."""
    if from_uom.id == to_uom.id:
        return price
    return (price * from_uom.factor / to_uom.factor).quantize(PRECISION).normalize()
