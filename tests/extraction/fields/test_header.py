"""Header fields from words at their places: association by position and choice by consistency."""

from __future__ import annotations

from extraction.fields.context import DocContext
from extraction.fields.header import extract_header
from extraction.fields.layout import build_layout
from models.text import PageText
from tests.extraction.words import page


def _fields(*pages: PageText) -> dict[str, str]:
    fs = extract_header(DocContext(build_layout(list(pages))))
    return {name: c.value for name, c in fs.fields.items()}


def test_values_right_of_below_and_inside_their_label_phrase() -> None:
    got = _fields(page(
        (60, 100, "Invoice Number:"), (300, 100, "INV-2024-0042"),
        (60, 130, "Invoice Date:"), (250, 130, "Due Date:"),
        (60, 143, "03/20/2024"), (250, 143, "04/19/2024"),
        (60, 170, "PO number 4500012345"),
        (60, 600, "Total"), (480, 600, "$ 1,234.50"),
    ))
    assert got["invoice_number"] == "INV-2024-0042"
    assert got["invoice_date"] == "2024-03-20"
    assert got["due_date"] == "2024-04-19"
    assert got["po_number"] == "4500012345"
    assert got["total_amount"] == "1234.50"
    assert got["currency"] == "USD"


def test_net_tax_and_total_are_the_three_that_add_up() -> None:
    got = _fields(page(
        (60, 80, "Rechnung Nr. 2024-117 vom 05.03.2024"),
        (300, 500, "Zwischensumme"), (480, 500, "100,00"),
        (300, 515, "Versandkosten"), (480, 515, "10,00"),
        (300, 530, "Summe netto"), (480, 530, "110,00"),
        (300, 545, "MwSt. 19%"), (480, 545, "20,90"),
        (300, 560, "Gesamtbetrag"), (480, 560, "130,90"),
        (300, 575, "Bereits bezahlt"), (480, 575, "30,90"),
        (300, 590, "Zahlbetrag"), (480, 590, "100,00"),
    ))
    assert (got["net_amount"], got["tax_amount"], got["total_amount"]) == ("110.00", "20.90", "130.90")
    assert got["invoice_number"] == "2024-117"
    assert got["invoice_date"] == "2024-03-05"
    assert got["currency"] == "EUR"  # a German invoice with no currency printed


def test_tax_is_the_sum_of_its_rate_lines_when_no_total_tax_is_printed() -> None:
    got = _fields(page(
        (60, 80, "Invoice no. 77"),
        (300, 500, "Net amount"), (480, 500, "300.00"),
        (300, 515, "VAT 7% on 100.00"), (480, 515, "7.00"),
        (300, 530, "VAT 19% on 200.00"), (480, 530, "38.00"),
        (300, 545, "Total"), (480, 545, "345.00"),
    ))
    assert (got["net_amount"], got["tax_amount"], got["total_amount"]) == ("300.00", "45.00", "345.00")


def test_a_due_date_before_the_invoice_date_loses_to_one_after_it() -> None:
    got = _fields(page(
        (60, 80, "Invoice date: 10.06.2024"),
        (60, 95, "Payment due: 01.06.2024"),
        (60, 110, "Due date: 10.07.2024"),
    ))
    assert got["invoice_date"] == "2024-06-10"
    assert got["due_date"] == "2024-07-10"


def test_the_buyers_vat_id_is_not_the_vendors() -> None:
    got = _fields(page(
        (60, 60, "Lieferant GmbH - Lieferantenstraße 20 - 80333 München"),
        (60, 100, "Bill to:"),
        (60, 112, "Kunden AG"),
        (60, 124, "VAT ID: DE136695976"),
        (350, 100, "Invoice No. 4711"),
        (60, 760, "Lieferant GmbH, USt-IdNr.: DE238574172, IBAN DE34 7007 0010 0156 9193 01"),
    ))
    assert got["vendor_vat"] == "DE238574172"
    assert got["vendor_iban"] == "DE34700700100156919301"
    assert got["vendor_name"] == "Lieferant GmbH"


def test_sender_line_gives_vendor_and_the_address_under_it_the_buyer() -> None:
    got = _fields(page(
        (60, 140, "QualityHosting AG - Uferweg 40-42 - D-63571 Gelnhausen"),
        (60, 155, "iViveLabs Ltd."),
        (60, 167, "93B Sai Yu Chung"),
        (300, 220, "Rechnungsnr. 30064443"),
    ))
    assert got["vendor_name"] == "QualityHosting AG"
    assert got["buyer_name"] == "iViveLabs Ltd."


def test_a_labelled_number_inside_another_labels_value_is_weaker() -> None:
    got = _fields(page(
        (60, 80, "Handelsrechnung (380) Nr. 9099999999 vom 31.10.2026"),
        (60, 120, "Zahlungsreferenz:"), (230, 120, "Kundennummer: 8888855555 Rechnungsnummer: 6069999999"),
    ))
    assert got["invoice_number"] == "9099999999"
    assert got["invoice_date"] == "2026-10-31"


def test_column_titles_of_the_item_table_are_not_header_labels() -> None:
    got = _fields(page(
        (60, 80, "Invoice number: A-17"),
        (60, 300, "Description"), (300, 300, "Qty"), (360, 300, "Unit price"), (430, 300, "VAT"),
        (500, 300, "Amount"),
        (60, 315, "Gloves nitrile M"), (300, 315, "10"), (360, 315, "4.50"), (430, 315, "20%"),
        (500, 315, "45.00"),
        (360, 400, "Total"), (500, 400, "54.00"),
    ))
    assert "tax_amount" not in got or got["tax_amount"] == "9.00"
    assert got["total_amount"] == "54.00"


def test_an_invoice_for_several_orders_names_them_all() -> None:
    from extraction.invoice import extract_from_pages

    invoice, _ = extract_from_pages([page((60, 80, "Invoice No. 4711"),
                                          (60, 100, "PO Number: P01064, P01080 and P01102"),
                                          (60, 120, "Total EUR 10,00"))])
    assert invoice.get("po_number") == "P01064"
    assert invoice.po_numbers == ["P01064", "P01080", "P01102"]


def test_vendor_address_comes_with_the_name_and_tax_is_broken_down_per_rate() -> None:
    from extraction.invoice import extract_from_pages

    invoice, _ = extract_from_pages([page(
        (60, 140, "QualityHosting AG - Uferweg 40-42 - D-63571 Gelnhausen"),
        (60, 155, "iViveLabs Ltd."),
        (300, 220, "Rechnungsnr. 30064443"),
        (300, 500, "Nettobetrag"), (480, 500, "473,00"),
        (300, 515, "USt. 7% auf 275,00"), (480, 515, "19,25"),
        (300, 530, "USt. 19% auf 198,00"), (480, 530, "37,62"),
        (300, 545, "Gesamtbetrag"), (480, 545, "529,87"),
    )])
    assert invoice.get("vendor_address") == "Uferweg 40-42, D-63571 Gelnhausen"
    assert invoice.get("tax_amount") == "56.87"
    assert invoice.tax_breakdown == [{"rate": "7", "tax": "19.25", "base": "275.00"},
                                     {"rate": "19", "tax": "37.62", "base": "198.00"}]


def test_the_invoice_a_credit_note_corrects_is_read_in_each_language() -> None:
    for phrase in ("Credit note for invoice INV-040672", "Avoir sur facture INV-040672",
                   "Rectifica la factura INV-040672", "Creditnota bij factuur INV-040672",
                   "Gutschrift zu Rechnung INV-040672"):
        got = _fields(page((60, 80, "Credit note no. CN-0001"), (60, 400, phrase)))
        assert got.get("credit_note_ref") == "INV-040672", phrase
        assert got.get("invoice_number") == "CN-0001", phrase


def test_a_company_registration_number_is_not_the_invoice_number() -> None:
    got = _fields(page(
        (60, 60, "Tel. +44 442 3478282 - Email: invoices@norunix.co.uk - Registered in England and Wales No. 91354324"),
        (60, 120, "INVOICE"), (60, 140, "Invoice Date"), (60, 153, "9 June 2025"),
    ))
    assert "invoice_number" not in got


def test_a_value_under_a_title_that_has_its_own_label_on_its_left_is_not_the_titles() -> None:
    got = _fields(page(
        (440, 100, "Rechnung"),
        (340, 130, "Rechnungsdatum"), (500, 130, "12.06.2025"),
        (340, 143, "Kundennummer"), (520, 143, "27821"),
    ))
    assert "invoice_number" not in got


def test_an_iban_whose_groups_fell_into_separate_phrases_is_still_read() -> None:
    # OCR spaces the groups so widely that the line splits into phrases; the checksum confirms the join.
    got = _fields(page((60, 700, "IBAN:"), (120, 700, "DE61"), (160, 700, "7002 0270 5214 4862 43")))
    assert got["vendor_iban"] == "DE61700202705214486243"


def test_a_vat_id_ending_in_a_letter_is_read_whole() -> None:
    assert _fields(page((60, 700, "VAT No.: IE8873122G")))["vendor_vat"] == "IE8873122G"


def test_a_label_closing_a_sentence_does_not_take_the_next_lines_value() -> None:
    got = _fields(page(
        (60, 100, "Data"), (200, 100, "15 giugno 2025"),
        (60, 400, "Pagamento a 30 giorni data fattura."),
        (60, 413, "Pagamento entro il 15 luglio 2025."),
    ))
    assert got["invoice_date"] == "2025-06-15"
