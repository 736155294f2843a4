"""Line items from a table's geometry: header titles, columns, wrapped descriptions, subtotals."""

from __future__ import annotations

from extraction.fields.context import DocContext
from extraction.fields.layout import build_layout
from extraction.lines import extract_lines
from models.text import PageText
from tests.extraction.words import page


def _items(p: PageText) -> list[dict[str, str | None]]:
    return [{k: f.value for k, f in item.fields.items()} for item in extract_lines(DocContext(build_layout([p])))]


def test_rows_under_a_header_become_items_with_every_column() -> None:
    items = _items(page(
        (60, 300, "Description"), (280, 300, "Quantity"), (340, 300, "Unit Price"), (420, 300, "Taxes"),
        (500, 300, "Amount"),
        (60, 315, "[FURN_7777] Office Chair"), (280, 315, "2.00 Units"), (350, 315, "70.00"),
        (420, 315, "15.00%"), (495, 315, "$ 140.00"),
        (60, 330, "Ergonomic, black"),
        (60, 345, "Beeswax XL"), (280, 345, "1.00 kg"), (350, 345, "42.00"), (420, 345, "15.00%"),
        (500, 345, "$ 42.00"),
        (420, 380, "Total"), (495, 380, "$ 182.00"),
    ))
    assert items == [
        {"description": "Office Chair Ergonomic, black", "product_code": "FURN_7777", "quantity": "2",
         "unit": "Units", "unit_price": "70.00", "tax_rate": "15.00", "amount": "140.00"},
        {"description": "Beeswax XL", "quantity": "1", "unit": "kg", "unit_price": "42.00", "tax_rate": "15.00",
         "amount": "42.00"},
    ]


def test_german_table_with_stacked_titles_and_comma_decimals() -> None:
    items = _items(page(
        (60, 280, "Pos"), (90, 280, "Art.Nr."), (160, 280, "Bezeichnung"), (330, 280, "Menge"),
        (380, 274, "Preis/"), (380, 286, "Einheit"), (450, 280, "Betrag"),
        (60, 300, "1"), (90, 300, "TB100A4"), (160, 300, "Trennblätter A4"), (330, 300, "20 Stk."),
        (385, 300, "9,90"), (455, 300, "198,00"),
        (60, 315, "2"), (90, 315, "ARNR2"), (160, 315, "Joghurt Banane"), (330, 315, "50 Stk."),
        (385, 315, "5,50"), (455, 315, "275,00"),
        (160, 345, "Rechnungssumme netto"), (455, 345, "473,00"),
    ))
    assert [(i["product_code"], i["description"], i["quantity"], i["unit"], i["unit_price"], i["amount"])
            for i in items] == [("TB100A4", "Trennblätter A4", "20", "Stk", "9.90", "198.00"),
                                ("ARNR2", "Joghurt Banane", "50", "Stk", "5.50", "275.00")]


def test_a_group_subtotal_inside_the_table_does_not_end_it() -> None:
    items = _items(page(
        (60, 300, "Item"), (350, 300, "Qty"), (420, 300, "Price"), (500, 300, "Total"),
        (60, 315, "--- Non Food ---"),
        (60, 330, "Office Chair"), (350, 330, "1"), (420, 330, "70.00"), (500, 330, "70.00"),
        (420, 345, "Subtotal"), (500, 345, "70.00"),
        (60, 360, "--- Food ---"),
        (60, 375, "Olive Oil"), (350, 375, "2"), (420, 375, "5.00"), (500, 375, "10.00"),
        (420, 410, "Subtotal"), (500, 410, "80.00"),
        (420, 425, "Total"), (500, 425, "80.00"),
        (60, 470, "Thank you for your order"),
        (60, 485, "Bank transfer within 30 days"),
        (60, 500, "Questions: call 555-0100 or write to us"),
    ))
    assert [i["description"] for i in items] == ["Office Chair", "Olive Oil"]


def test_lot_and_expiry_printed_under_an_item_are_kept() -> None:
    items = _items(page(
        (60, 300, "Description"), (350, 300, "Qty"), (420, 300, "Unit price"), (500, 300, "Amount"),
        (60, 315, "Sterile gauze swabs 10x10"), (350, 315, "50"), (420, 315, "0.40"), (500, 315, "20.00"),
        (60, 328, "LOT: 24B117"),
        (60, 341, "EXP: 31.12.2026"),
    ))
    assert items[0]["lot"] == "24B117"
    assert items[0]["expiry"] == "2026-12-31"
    assert items[0]["description"] == "Sterile gauze swabs 10x10"


def test_allowances_are_not_items() -> None:
    items = _items(page(
        (60, 300, "Description"), (350, 300, "Qty"), (420, 300, "Unit price"), (500, 300, "Amount"),
        (60, 315, "Paper A4"), (350, 315, "3"), (420, 315, "10.00"), (500, 315, "30.00"),
        (60, 330, "REMISE : Remise commerciale 5,00% sur 30,00 EUR"), (500, 330, "-1.50"),
    ))
    assert [i["description"] for i in items] == ["Paper A4"]


def test_without_a_header_a_run_of_item_lines_is_read() -> None:
    items = _items(page(
        (60, 100, "Invoice No. 12429647"),
        (60, 300, "AWS Data Transfer"), (480, 300, "$0.01"),
        (60, 315, "Amazon Glacier"), (480, 315, "$2.22"),
        (60, 360, "Total for this invoice"), (480, 360, "$2.23"),
    ))
    assert [(i["description"], i["amount"]) for i in items] == [("AWS Data Transfer", "0.01"),
                                                                ("Amazon Glacier", "2.22")]


def test_figures_inside_a_description_stay_in_it() -> None:
    # "7.5x7.5 cm" and "21G" run on towards the quantity column without reaching its title.
    items = _items(page(
        (60, 300, "Pos."), (90, 300, "Bezeichnung"), (330, 300, "Menge"), (400, 300, "Preis"), (470, 300, "Betrag"),
        (60, 315, "1"), (90, 315, "Mullkompressen, 8-fach, steril, 7.5x7.5 cm"), (330, 315, "153 Pck."),
        (400, 315, "1,64"), (470, 315, "250,92"),
        (60, 330, "2"), (90, 330, "Injektionskanüle, 21G"), (335, 330, "1 Box"), (400, 330, "6,36"),
        (470, 330, "6,36"),
    ))
    assert [(i["description"], i["quantity"], i["amount"]) for i in items] == [
        ("Mullkompressen, 8-fach, steril, 7.5x7.5 cm", "153", "250.92"), ("Injektionskanüle, 21G", "1", "6.36")]


def test_carried_forward_rows_are_not_items() -> None:
    first = page(
        (60, 300, "Description"), (350, 300, "Qty"), (420, 300, "Price"), (500, 300, "Amount"),
        (60, 315, "Gauze swabs"), (350, 315, "10"), (420, 315, "2.00"), (500, 315, "20.00"),
        (60, 330, "Wound dressing"), (350, 330, "5"), (420, 330, "3.00"), (500, 330, "15.00"),
        (60, 345, "Bandage"), (350, 345, "1"), (420, 345, "5.00"), (500, 345, "5.00"),
        (60, 360, "Carried forward"), (500, 360, "40.00"),
    )
    second = page(
        (60, 100, "Description"), (350, 100, "Qty"), (420, 100, "Price"), (500, 100, "Amount"),
        (60, 115, "Brought forward"), (500, 115, "40.00"),
        (60, 130, "Crutch"), (350, 130, "2"), (420, 130, "20.00"), (500, 130, "40.00"),
        (350, 160, "Net Amount"), (500, 160, "80.00"), number=2)
    items = extract_lines(DocContext(build_layout([first, second])))
    assert [i.get("description") for i in items] == ["Gauze swabs", "Wound dressing", "Bandage", "Crutch"]


def test_a_sidebar_beside_the_table_is_not_read_into_its_rows() -> None:
    items = _items(page(
        (20, 300, "E-Mail: ap@vendor.de"), (200, 300, "Art.-Nr."), (250, 300, "Bezeichnung"), (400, 300, "Menge"),
        (450, 300, "Preis"), (520, 300, "Gesamt"),
        (20, 315, "www.vendor.de"), (200, 315, "001.015"), (250, 315, "Glasreinigung"), (405, 315, "1"),
        (450, 315, "37,91"), (520, 315, "37,91"),
        (20, 330, "IBAN: DE97 3705 0198 6959 0854 80"), (200, 330, "001.017"), (250, 330, "Wartung"),
        (405, 330, "1"), (450, 330, "106,81"), (520, 330, "106,81"),
        (300, 360, "Nettobetrag"), (520, 360, "144,72"),
    ))
    assert [(i["product_code"], i["description"], i["amount"]) for i in items] == [
        ("001.015", "Glasreinigung", "37.91"), ("001.017", "Wartung", "106.81")]


def test_freight_billed_in_the_table_columns_is_an_item() -> None:
    items = _items(page(
        (60, 300, "Description"), (350, 300, "Qty"), (420, 300, "Price"), (500, 300, "Amount"),
        (60, 315, "Absorbable suture"), (350, 315, "15"), (420, 315, "59.52"), (500, 315, "892.80"),
        (60, 330, "Freight and packaging"), (350, 330, "1"), (420, 330, "41.00"), (500, 330, "41.00"),
        (350, 360, "Net Amount"), (500, 360, "933.80"),
        (350, 375, "Shipping"), (500, 375, "0.00"),
    ))
    assert [i["description"] for i in items] == ["Absorbable suture", "Freight and packaging"]


def test_a_row_whose_quantity_times_price_makes_its_amount_is_an_item_whatever_its_first_word() -> None:
    # "IVA-1396" begins like the Italian VAT label; "Frais de port" like a charge.
    items = _items(page(
        (60, 300, "Codice"), (130, 300, "Descrizione"), (330, 300, "Q.tà"), (400, 300, "Prezzo"),
        (480, 300, "Importo"),
        (60, 315, "IVA-1396"), (130, 315, "Adhesive wound dressing"), (330, 315, "8"), (400, 315, "12,50"),
        (480, 315, "100,00"),
        (130, 330, "Frais de port et emballage"), (330, 330, "1"), (400, 330, "60,00"), (480, 330, "60,00"),
        (300, 360, "Imponibile"), (480, 360, "160,00"),
    ))
    assert [(i.get("product_code"), i["description"], i["amount"]) for i in items] == [
        ("IVA-1396", "Adhesive wound dressing", "100.00"), (None, "Frais de port et emballage", "60.00")]


def test_an_abbreviated_unit_price_title_is_one_column_not_a_price_and_a_unit() -> None:
    # "Prezzo unit." once read as a price title followed by a unit title, which took the price column's
    # figures as units: a line then had no unit price, and a printed 7 × 84,60 = 594,20 went unnoticed.
    items = _items(page(
        (60, 300, "Descrizione"), (300, 300, "Q.tà"), (350, 300, "Prezzo unit."),
        (430, 300, "IVA"), (500, 300, "Importo"),
        (60, 315, "Hand disinfectant, 1000 ml"), (305, 315, "7"), (383, 315, "84,60"), (432, 315, "0%"),
        (502, 315, "594,20"),
        (400, 345, "Imponibile"), (502, 345, "594,20"),
    ))
    assert [(i["quantity"], i.get("unit"), i["unit_price"], i["amount"]) for i in items] == [
        ("7", None, "84.60", "594.20")]
