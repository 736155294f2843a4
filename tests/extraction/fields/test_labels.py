"""Labels in six languages, found in compact form on word starts, longest first."""

from __future__ import annotations

import pytest

from extraction.fields.labels import find_labels
from extraction.fields.layout import Phrase
from tests.extraction.words import words_at


def _fields(text: str) -> list[set[str]]:
    return [set(h.fields) for h in find_labels(Phrase(1, 0, words_at(0, 0, text)))]


@pytest.mark.parametrize(("text", "field"), [
    ("Invoice number:", "invoice_number"),
    ("Rechnungs-Nr.", "invoice_number"),
    ("Facture N° :", "invoice_number"),
    ("Número de factura", "invoice_number"),
    ("Factuurnummer:", "invoice_number"),
    ("Numero fattura", "invoice_number"),
    ("Rechnungsdatum", "invoice_date"),
    ("Date d'échéance :", "due_date"),
    ("Fecha de vencimiento", "due_date"),
    ("Vervaldatum", "due_date"),
    ("Data di scadenza", "due_date"),
    ("Bestellnummer", "po_number"),
    ("N° BON DE COMMANDE :", "po_number"),
    ("Total TTC", "total_amount"),
    ("Importe total", "total_amount"),
    ("Totaal te betalen", "total_amount"),
    ("Base imponible", "net_amount"),
    ("Imponibile", "net_amount"),
    ("USt-IdNr.:", "vendor_vat"),
    ("Partita IVA", "vendor_vat"),
])
def test_labels_of_six_languages_name_their_field(text: str, field: str) -> None:
    assert field in _fields(text)[0]


def test_a_text_layer_that_splits_a_word_still_meets_its_label() -> None:
    assert "invoice_number" in _fields("F actuurnummer: 993548900")[0]


def test_the_longest_label_wins() -> None:
    assert _fields("Subtotal") == [{"net_amount"}]
    assert _fields("VAT number") == [{"vendor_vat"}]
    assert _fields("Gesamtbetrag der Zuschläge") == [{"other:charges"}]


def test_labels_only_start_at_word_starts() -> None:
    assert _fields("Taxes") != [{"tax_amount", "vendor_vat"}]
    assert not any("total_amount" in f for f in _fields("Totality"))


def test_other_numbers_claim_their_labels() -> None:
    assert _fields("Kundennummer:") == [{"other:customer_number"}]
    assert _fields("Steuernummer") == [{"other:tax_number"}]


def test_ocr_letter_confusions_do_not_hide_a_label() -> None:
    def ocr_fields(text: str) -> list[set[str]]:
        return [set(h.fields) for h in find_labels(Phrase(1, 0, words_at(0, 0, text), ocr=True))]

    assert "total_amount" in ocr_fields("Tota! 12.00")[0]
    assert ocr_fields("SUBTOTA1 12.00") == [{"net_amount"}]
    assert _fields("Tota! 12.00") == []  # a text layer is taken as printed
