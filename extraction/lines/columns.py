"""The header row of a line-item table: which column is which, and where it lies across the page.

A header row is a line (or two or three stacked lines, as in ``Unsere / Art.Nr.``, ``Meng.- / einheit``)
made almost only of column titles, naming at least a description or code and one figure column, with
no amounts in it. Titles are matched in the lexicon's compact form, longest first, so
``Prijs per stuk`` is a unit price and ``Prijs incl. BTW`` a line amount.
"""

from __future__ import annotations

from dataclasses import dataclass

from extraction.fields.context import DocContext
from extraction.fields.layout import Line
from extraction.normalise.amounts import find_amounts
from extraction.normalise.text import compact
from models.text import Word

_COLUMN_TITLES: dict[str, tuple[str, ...]] = {
    "position": ("pos", "pos.", "position", "posnr", "pos nr", "ligne", "zeile", "lfd nr", "line", "nr", "no", "#",
                 "n#", "item #"),
    "product_code": ("art nr", "art.nr", "artikelnr", "artikelnummer", "artikel nr", "item no", "item code",
                     "product code", "sku", "code", "ref", "reference", "referenz", "referenzen", "code article",
                     "codigo", "codice", "artikelcode", "part no", "part number", "material", "materialnummer",
                     "ean", "gtin", "unsere art nr", "ihre art nr", "art nr lieferant", "product id", "cod art",
                     "ref article"),
    "description": ("description", "beschreibung", "bezeichnung", "artikelbezeichnung", "artikelbeschreibung",
                    "leistung", "leistungsbeschreibung", "produkt", "product", "products", "item", "items",
                    "designation", "libelle", "descripcion", "concepto", "omschrijving", "descrizione", "articolo",
                    "service", "services", "details", "particulars", "artikel", "article", "produit",
                    "code article nom designation", "nom designation", "artikel omschrijving", "product description",
                    "item description", "text", "bezeichnung artikel", "leistungen", "prestation", "dienst"),
    "quantity": ("qty", "quantity", "menge", "anzahl", "stuck", "stk", "quantite", "qte", "cantidad", "cant",
                 "aantal", "hoeveelheid", "quantita", "qta", "units", "mengeeinheit", "menge einheit", "anz",
                 "qty ordered", "qty shipped", "hours", "stunden"),
    "unit": ("unit", "einheit", "me", "unite", "unidad", "eenheid", "unita", "um", "uom", "meng einheit",
             "mengeneinheit", "vke geb", "vke", "eh"),
    "unit_price": ("unit price", "price", "preis", "einzelpreis", "e preis", "stuckpreis", "preis einheit",
                   "preis einh", "preis einh #", "vk preis", "nettopreis", "listenpreis", "prix unitaire", "prix",
                   "p u", "pu ht", "p u ht", "p u ht eur", "precio", "precio unitario", "prijs", "prijs per stuk",
                   "stukprijs", "prezzo", "prezzo unitario", "prezzo unit", "prix unit", "precio unit", "rate",
                   "unit cost", "einzelpreis netto",
                   "preis netto", "unit price excl vat", "price per unit", "einzelpr", "ep"),
    "amount": ("amount", "total", "line total", "net amount", "betrag", "gesamt", "gesamtpreis", "gesamtbetrag",
               "summe", "nettobetrag", "nettowert", "zeilenbetrag", "positionsbetrag", "entgelt", "wert",
               "montant", "total ht", "montant ht", "importe", "total linea", "bedrag", "totaal",
               "prijs incl btw", "importo", "totale", "extended price", "ext price", "amount excl vat",
               "net value", "net", "netto", "gesamt netto", "total net", "subtotal", "line amount", "value",
               "gesamtpreis netto", "total eur", "amount eur", "gesamt eur", "betrag eur", "total ht eur"),
    "tax_rate": ("vat", "vat %", "tax", "taxes", "mwst", "mwst %", "ust", "ust %", "steuersatz", "steuer", "tva",
                 "iva", "btw", "% tva", "tax rate", "vat rate", "mwst satz", "ust satz", "tax %", "gst"),
    "discount": ("disc", "disc %", "discount", "rabatt", "rabatt %", "remise", "descuento", "korting", "sconto",
                 "charge", "zu abschlag"),
    "lot": ("lot", "lot no", "lot nr", "charge", "charge nr", "chargennr", "batch", "batch no", "lote", "lotto",
            "partij", "n# de lot", "lotnummer"),
    "expiry": ("expiry", "exp", "exp date", "expiry date", "verfall", "verfallsdatum", "mhd", "haltbar bis",
               "peremption", "date de peremption", "caducidad", "fecha de caducidad", "houdbaar tot", "best before"),
}
_TRIE: dict[str, object] = {}
_END = ""
for _field, _names in _COLUMN_TITLES.items():
    for _title in _names:
        _node = _TRIE
        for _ch in compact(_title):
            _node = _node.setdefault(_ch, {})  # type: ignore[assignment]
        _node.setdefault(_END, _field)
FIGURE_COLUMNS = frozenset({"quantity", "unit_price", "amount", "tax_rate", "discount"})


@dataclass
class Column:
    field: str
    x0: float
    x1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class TableHeader:
    page: int
    lines: list[Line]
    columns: list[Column]

    @property
    def y1(self) -> float:
        return max(line.y1 for line in self.lines)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field == name), None)


def find_headers(ctx: DocContext) -> list[TableHeader]:
    """Every table header on the document, top to bottom, page by page."""
    out: list[TableHeader] = []
    for page in ctx.layout.pages:
        taken: set[int] = set()
        for i, line in enumerate(page.lines):
            if i in taken:
                continue
            titles, covered = _titles(line)
            if not _header_like(titles, covered, line):
                continue
            group = [line]
            span = (min(t.x0 for t in titles), max(t.x1 for t in titles))
            # Stacked header lines directly above or below ("UNIT / TOTAL HT", "Meng.- / einheit"), under
            # the same columns (not a sidebar's "VAT No.: …" beside the table).
            for j in (i - 1, i - 2, i + 1, i + 2):
                if 0 <= j < len(page.lines) and j not in taken:
                    other = page.lines[j]
                    near = abs(other.cy - line.cy) < 2.6 * max(line.height, 6.0)
                    more, more_covered = _titles(other)
                    inside = all(t.x1 > span[0] and t.x0 < span[1] for t in more)
                    if near and more and inside and more_covered >= 0.5 and not _has_amount(other):
                        group.append(other)
            columns = _merge_columns([t for ln in group for t in _titles(ln)[0]])
            if _usable(columns):
                taken.update(page.lines.index(g) for g in group)
                out.append(TableHeader(page.number, sorted(group, key=lambda ln: ln.y0), columns))
    return out


def _titles(line: Line) -> tuple[list[Column], float]:
    """Column titles on a line, and the share they cover of the words between the first title and the last
    (a sidebar's text beside the header row is not part of it)."""
    words = line.words
    texts = [compact(w.text) for w in words]
    found: list[Column] = []
    covered = 0
    i = 0
    while i < len(words):
        node: dict[str, object] | None = _TRIE
        best: tuple[int, str] | None = None
        j = i
        while j < len(words) and node is not None:
            for ch in texts[j]:
                nxt = node.get(ch) if node is not None else None
                node = nxt if isinstance(nxt, dict) else None
                if node is None:
                    break
            if node is None:
                break
            if _END in node:
                best = (j, str(node[_END]))
            if j + 1 < len(words) and words[j + 1].x0 - words[j].x1 > 1.5 * line.height:
                break  # a title does not run across a column gap
            j += 1
        if best is None:
            i += 1
            continue
        end, name = best
        span = words[i:end + 1]
        found.append(Column(name, min(w.x0 for w in span), max(w.x1 for w in span)))
        covered += end + 1 - i
        i = end + 1
    if not found:
        return found, 0.0
    return found, covered / max(1, len(_spanned(line, found)))


def _spanned(line: Line, titles: list[Column]) -> list[Word]:
    """The line's words in the phrases that reach into the span of its titles."""
    x0, x1 = min(t.x0 for t in titles), max(t.x1 for t in titles)
    return [w for p in line.phrases if p.x1 >= x0 and p.x0 <= x1 for w in p.words]


def _header_like(titles: list[Column], covered: float, line: Line) -> bool:
    fields = {t.field for t in titles}
    return (len(fields) >= 3 or (len(fields) == 2 and "amount" in fields)) and covered >= 0.6 \
        and not any(a.decimals == 2 for a in find_amounts(" ".join(w.text for w in _spanned(line, titles))))


def _usable(columns: list[Column]) -> bool:
    fields = {c.field for c in columns}
    return bool(fields & {"description", "product_code"}) and bool(fields & {"amount", "unit_price", "quantity"})


def _has_amount(line: Line) -> bool:
    return any(a.decimals == 2 for a in find_amounts(line.text))


def _merge_columns(titles: list[Column]) -> list[Column]:
    """Titles of stacked header lines that share a column become one column (the more specific name)."""
    titles.sort(key=lambda c: c.x0)
    merged: list[Column] = []
    for t in titles:
        same = next((m for m in merged if min(m.x1, t.x1) - max(m.x0, t.x0) > 0.3 * min(m.x1 - m.x0, t.x1 - t.x0)),
                    None)
        if same is None:
            merged.append(Column(t.field, t.x0, t.x1))
            continue
        same.x0, same.x1 = min(same.x0, t.x0), max(same.x1, t.x1)
        if _rank(t.field) > _rank(same.field):
            same.field = t.field
    # "Amount  Product  VAT  Price  Total": an "amount" before the description, with another after it,
    # is how many (English "amount" means both).
    description = next((c for c in merged if c.field == "description"), None)
    if description is not None:
        before = [c for c in merged if c.field == "amount" and c.x1 <= description.x0]
        after = [c for c in merged if c.field == "amount" and c.x0 >= description.x1]
        if before and after and not any(c.field == "quantity" for c in merged):
            before[0].field = "quantity"
    # Two columns of one kind: a description next to a "description" that is really the code column.
    seen: dict[str, Column] = {}
    for c in merged:
        if c.field in seen and c.field == "description":
            seen[c.field].field = "product_code"
        seen[c.field] = c
    return merged


def _rank(name: str) -> int:
    return {"position": 0, "discount": 1, "unit": 2, "product_code": 3, "tax_rate": 4, "quantity": 5,
            "unit_price": 6, "amount": 7, "description": 8, "lot": 5, "expiry": 5}.get(name, 0)
