"""A table row's cells to a ``LineItem``: numbers read in the document's style, units split from
quantities, product codes and lots taken from their labels, and the arithmetic checked."""

from __future__ import annotations

import re
from decimal import Decimal

from extraction.fields.context import DocContext
from extraction.fields.layout import Line
from extraction.lines.columns import Column
from extraction.lines.rows import Cell, RawRow, assign_cells
from extraction.normalise.amounts import amount_str, find_amounts
from extraction.normalise.dates import find_dates
from models.invoice import BBox, FieldValue, LineItem, Source
from models.text import Word

_CODE_LABEL = re.compile(
    r"^(?:art(?:ikel)?[\s.-]*nr[\s.-]*(?:lieferant)?|artikelnummer|item\s*(?:no|code)|sku|product\s*code|"
    r"ref(?:erence)?|code(?:\s*article)?|c_fo|gtin|ean|pzn|part\s*no)\s*[:.]?\s*(?P<value>[A-Za-z0-9]\S*)?",
    re.IGNORECASE)
_LOT_LABEL = re.compile(r"^(?:lot|lot\s*no|lotnr|charge(?:n?[\s-]*nr)?|batch(?:\s*no)?|lote|lotto|partij|"
                        r"serien?nummer|serial(?:\s*(?:no|number))?|s/n|numero\s*de\s*serie)"
                        r"\s*[:.#]?\s*(?P<value>[A-Z0-9][\w/-]*)?", re.IGNORECASE)
# Product details printed under an item that are neither its description nor a field we keep.
_DETAIL_LABEL = re.compile(r"^(?:bruttopreis|gross\s*price|prix\s*brut|listenpreis|\d{8,14}\s*\(gtin\)|"
                           r"art(?:ikel)?[\s.-]*nr[\s.-]*kunde|verpackung|herkunftsland|zolltarif)", re.IGNORECASE)
_EXPIRY_LABEL = re.compile(r"^(?:exp(?:iry)?(?:\s*date)?|verfall(?:sdatum)?|mhd|haltbar\s*bis|use\s*by|"
                           r"p[ée]remption|caducidad|houdbaar\s*tot|scad(?:enza)?)\s*[:.]?\s*(?P<value>.+)",
                           re.IGNORECASE)
_ALLOWANCE = re.compile(r"^\W*(remise|charge|rabatt|abzgl|zzgl|discount|nachlass|sondernachlass|skonto|korting|"
                        r"sconto|descuento|frais)\b|\d\s*%\s*(sur|von|on|auf|su|op)\s", re.IGNORECASE)
_BRACKET_CODE = re.compile(r"^\s*[\[(*]([A-Za-z0-9_./-]{3,})[\])*]\s*")
_PERCENT = re.compile(r"(-?\d{1,2}(?:[.,]\d{1,2})?)\s*%?")


def row_item(ctx: DocContext, row: RawRow, columns: list[Column]) -> LineItem | None:
    source = Source.OCR.value if ctx.layout.page(row.page).source == "ocr" else Source.LAYOUT.value
    cells = {c.column: c for c in row.cells}
    values: dict[str, tuple[str, list[Word]]] = {}
    description_words: list[Word] = []
    for line in row.above:
        for cell in assign_cells(line, columns):
            if cell.column == "description":
                description_words.extend(cell.words)
    if "description" in cells:
        description_words.extend(cells["description"].words)
    if "product_code" in cells:
        # "Art-Nr-Kunde: BR-4529": the code after its label; a label alone is no code.
        code = re.sub(r"^[^:]{2,25}:\s*", "", cells["product_code"].text.strip()).strip(" -")
        if code and any(ch.isalnum() for ch in code):
            values["product_code"] = (code, cells["product_code"].words)
    for name in ("unit_price", "amount"):
        if name in cells:
            amounts = find_amounts(cells[name].text, ctx.read.style)
            if amounts:
                values[name] = (amount_str(amounts[-1].value), cells[name].words)
    if "quantity" in cells:
        _quantity(ctx, cells["quantity"], values)
    if "unit" in cells and "unit" not in values:
        unit = cells["unit"].text.strip(" .")
        if unit and not any(ch.isdigit() for ch in unit):
            values["unit"] = (unit, cells["unit"].words)
    if "tax_rate" in cells:
        m = _PERCENT.search(cells["tax_rate"].text.replace(" ", ""))
        if m:
            values["tax_rate"] = (m.group(1).replace(",", "."), cells["tax_rate"].words)
    for line in row.more:
        _continuation(ctx, line, columns, values, description_words)
    description = " ".join(w.text for w in description_words).strip()
    bracketed = _BRACKET_CODE.match(description)
    if bracketed:
        values.setdefault("product_code", (bracketed.group(1), description_words[:1]))
        description = description[bracketed.end():].strip()
    if not description and "product_code" not in values:
        return None
    own = " ".join(w.text for w in cells["description"].words) if "description" in cells else description
    if _ALLOWANCE.search(own) and not _priced(values):
        # A discount or charge line, judged by the row's own text, not the notes under it; billed with a
        # quantity and a unit price ("Frais de port et emballage  1 pce  292,00  292,00") it is an item.
        return None
    if description:
        values["description"] = (description, description_words)
    return _item(values, row, source)


def _quantity(ctx: DocContext, cell: Cell, values: dict[str, tuple[str, list[Word]]]) -> None:
    text = cell.text
    m = re.match(r"\s*(-?\d[\d.,']*)\s*([^\d\s].*)?$", text)
    if not m:
        return
    amounts = find_amounts(m.group(1), ctx.read.style)
    if not amounts:
        return
    values["quantity"] = (_plain(amounts[0].value), cell.words)
    unit = (m.group(2) or "").strip(" .")
    if unit and len(unit) <= 12 and not any(ch.isdigit() for ch in unit):
        values["unit"] = (unit, cell.words)


def _continuation(ctx: DocContext, line: Line, columns: list[Column], values: dict[str, tuple[str, list[Word]]],
                  description_words: list[Word]) -> None:
    text = line.text.strip()
    gtin = re.match(r"^(\d{8,14})\s*\(GTIN\)", text)
    if gtin:
        values.setdefault("product_code", (gtin.group(1), line.words))
        return
    if _DETAIL_LABEL.match(text):
        return
    for name, pattern in (("product_code", _CODE_LABEL), ("lot", _LOT_LABEL), ("expiry", _EXPIRY_LABEL)):
        m = pattern.match(text)
        if m:
            if not m.group("value"):
                return  # the label alone; its value, if any, is on the next line
            value = m.group("value").strip()
            if name == "expiry":
                dates = find_dates(value, ctx.read.order)
                if not dates:
                    continue
                value = dates[0].value.isoformat()
            values.setdefault(name, (value, line.words))
            return
    for cell in assign_cells(line, columns):
        if cell.column == "description":
            description_words.extend(cell.words)


def _item(values: dict[str, tuple[str, list[Word]]], row: RawRow, source: str) -> LineItem:
    confidence = _row_confidence(values)
    fields = {name: FieldValue(value, confidence, source, row.page, _bbox(words) if words else None)
              for name, (value, words) in values.items()}
    words = [w for line in row.above + row.lines + row.more for w in line.words]
    return LineItem(fields=fields, confidence=confidence, page=row.page, bbox=_bbox(words))


def _row_confidence(values: dict[str, tuple[str, list[Word]]]) -> float:
    score = 0.35
    if "description" in values:
        score += 0.2
    if "amount" in values:
        score += 0.15
    qty, price, amount = (_dec(values.get(k)) for k in ("quantity", "unit_price", "amount"))
    if qty is not None and price is not None and amount is not None:
        score += 0.25 if abs(qty * price - amount) <= Decimal("0.011") * max(Decimal(1), abs(qty)) else 0.0
    return round(min(0.95, score), 3)


def _priced(values: dict[str, tuple[str, list[Word]]]) -> bool:
    qty, price, amount = (_dec(values.get(k)) for k in ("quantity", "unit_price", "amount"))
    return qty is not None and price is not None and amount is not None and amount != 0 \
        and abs(qty * price - amount) <= Decimal("0.011") * max(Decimal(1), abs(qty))


def _dec(entry: tuple[str, list[Word]] | None) -> Decimal | None:
    if entry is None:
        return None
    try:
        return Decimal(entry[0])
    except ArithmeticError:
        return None


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _bbox(words: list[Word]) -> BBox:
    return BBox(min(w.x0 for w in words), min(w.y0 for w in words), max(w.x1 for w in words),
                max(w.y1 for w in words))

