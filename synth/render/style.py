"""Invoice layouts and how a vendor picks its own: layout, number and date style, words, logo.

Fourteen layouts, composed from visibly different parts: letterheads (logo left or right, a coloured
band, centred, a sidebar, a typewriter header), address and reference blocks (DIN 5008 window, bill-to
and ship-to, references in a table), line tables (full grid, zebra stripes, rules only, no lines,
boxed), totals (stacked, with a tax table, a total bar) and footers (legal columns, remittance slip,
payment box, a single line), in three type families.
"""

from __future__ import annotations

from dataclasses import dataclass

from synth.render.locale import Locale, locales_for
from synth.seeds import rng
from synth.world.profiles import VendorProfile

Colour = tuple[float, float, float]


@dataclass(frozen=True)
class Layout:
    name: str
    header: str  # logo_left | logo_right | band | centered | sidebar | mono
    meta: str  # window | billto_shipto | meta_left | meta_table
    table: str  # grid | zebra | rules | plain | boxed
    totals: str  # stack | tax_table | bar
    footer: str  # columns | remittance | payment_box | line
    font: str  # Helvetica | Times | Courier
    accent: Colour
    columns: tuple[str, ...]
    row_height: float = 15.0
    font_size: float = 8.5
    title_with_number: bool = False
    intro: bool = False
    languages: tuple[str, ...] = ()  # where this layout is most at home


NAVY, TEAL, BLUE, GREEN = (0.12, 0.2, 0.42), (0.0, 0.42, 0.45), (0.1, 0.35, 0.7), (0.12, 0.45, 0.25)
BURGUNDY, RED, GREY, ORANGE = (0.5, 0.1, 0.15), (0.72, 0.12, 0.1), (0.35, 0.37, 0.4), (0.85, 0.45, 0.05)
PURPLE, BLACK = (0.38, 0.2, 0.5), (0.0, 0.0, 0.0)

LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (
    Layout("din_classic", "logo_right", "window", "grid", "stack", "columns", "Helvetica", NAVY,
           ("pos", "code", "description", "qty", "unit", "unit_price", "amount"), title_with_number=True,
           intro=True, languages=("de",)),
    Layout("din_modern", "logo_left", "window", "zebra", "tax_table", "columns", "Helvetica", TEAL,
           ("pos", "description", "qty", "unit", "unit_price", "vat_rate", "amount"), languages=("de", "nl")),
    Layout("band_blue", "band", "billto_shipto", "zebra", "bar", "payment_box", "Helvetica", BLUE,
           ("code", "description", "qty", "unit_price", "amount"), row_height=16, languages=("en", "nl")),
    Layout("us_remittance", "logo_left", "billto_shipto", "boxed", "stack", "remittance", "Helvetica", GREEN,
           ("qty", "code", "description", "unit_price", "amount"), languages=("en",)),
    Layout("minimal_serif", "centered", "meta_left", "plain", "stack", "line", "Times", BLACK,
           ("description", "qty", "unit", "unit_price", "amount"), font_size=9, row_height=16,
           languages=("en", "fr", "it")),
    Layout("ledger_mono", "mono", "meta_table", "boxed", "stack", "line", "Courier", BLACK,
           ("pos", "code", "description", "qty", "unit_price", "amount"), font_size=7.5, row_height=13,
           languages=("de", "en")),
    Layout("sidebar_green", "sidebar", "meta_left", "rules", "stack", "line", "Helvetica", GREEN,
           ("description", "qty", "unit_price", "amount"), languages=("en", "nl", "es")),
    Layout("french_classic", "logo_left", "meta_table", "grid", "tax_table", "columns", "Helvetica", BURGUNDY,
           ("code", "description", "qty", "unit_price", "vat_rate", "amount"), languages=("fr",)),
    Layout("italian_grid", "logo_right", "meta_table", "grid", "tax_table", "line", "Times", RED,
           ("code", "description", "unit", "qty", "unit_price", "vat_rate", "amount"), font_size=8.5,
           languages=("it",)),
    Layout("corporate_grey", "band", "window", "rules", "stack", "columns", "Helvetica", GREY,
           ("pos", "code", "description", "qty", "unit", "unit_price", "vat_rate", "amount"), font_size=7.8,
           row_height=14, intro=True, languages=("de", "en")),
    Layout("compact_table", "logo_right", "meta_left", "grid", "stack", "payment_box", "Helvetica", NAVY,
           ("pos", "code", "description", "qty", "unit", "unit_price", "amount"), font_size=7.2, row_height=12,
           languages=("de", "en", "fr")),
    Layout("dutch_clean", "logo_left", "billto_shipto", "rules", "bar", "payment_box", "Helvetica", ORANGE,
           ("description", "qty", "unit_price", "vat_rate", "amount"), languages=("nl",)),
    Layout("remittance_serif", "centered", "billto_shipto", "rules", "stack", "remittance", "Times", NAVY,
           ("code", "description", "qty", "unit", "unit_price", "amount"), languages=("en",)),
    Layout("spanish_boxes", "logo_left", "meta_table", "boxed", "tax_table", "columns", "Helvetica", RED,
           ("code", "description", "qty", "unit_price", "vat_rate", "amount"), languages=("es",)),
    Layout("sidebar_purple", "sidebar", "meta_table", "zebra", "bar", "line", "Helvetica", PURPLE,
           ("code", "description", "qty", "unit_price", "amount"), languages=("en", "de", "it")),
)}
LOGO_SHAPES = ("circle", "cross", "hexagon", "bars", "leaf", "wave", "square", "triangle", "ring", "diamond")


@dataclass(frozen=True)
class VendorStyle:
    layout: Layout
    locale: Locale
    vocabulary_variant: int
    logo_shape: str
    logo_colour: Colour
    use_symbol: bool  # "€ 12,50" rather than "12,50" for the subtotal and tax lines
    letter_paper: bool


def style_for(vendor: VendorProfile, seed: int, layout: str | None = None) -> VendorStyle:
    """A vendor's invoices always look alike: the choice depends only on the seed and the vendor."""
    r = rng(seed, "style", vendor.key, vendor.name)
    names = sorted(LAYOUTS)
    weights = [6 if vendor.language in LAYOUTS[n].languages else 1 for n in names]
    chosen = LAYOUTS[layout] if layout else LAYOUTS[r.choices(names, weights=weights)[0]]
    hue = chosen.accent if chosen.accent != BLACK else (0.2, 0.2, 0.2)
    return VendorStyle(
        layout=chosen, locale=r.choice(locales_for(vendor.country)), vocabulary_variant=r.randint(0, 1),
        logo_shape=r.choice(LOGO_SHAPES), logo_colour=hue, use_symbol=r.random() < 0.4,
        letter_paper=vendor.country == "US")
