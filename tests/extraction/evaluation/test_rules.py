"""The corpus README's comparison rules, one by one."""

from __future__ import annotations

from extraction.evaluation.rules import field_matches, match_lines


def test_references_ignore_separators_and_case() -> None:
    assert field_matches("invoice_number", "INV/2023/03/0008", "inv-2023-03-0008")
    assert field_matches("po_number", "PO 4500 123", "po4500123")
    assert not field_matches("invoice_number", "471102", "471103")


def test_a_vat_id_matches_without_its_country_prefix() -> None:
    assert field_matches("vendor_vat", "DE 232 446 240", "DE232446240")
    assert field_matches("vendor_vat", "232446240", "DE232446240")
    assert not field_matches("vendor_vat", "DE232446240", "DE232446241")


def test_dates_amounts_and_currency() -> None:
    assert field_matches("invoice_date", "2024-03-05", "2024-03-05")
    assert not field_matches("invoice_date", "2024-03-05", "2024-05-03")
    assert field_matches("total_amount", "529.87", "529.870")
    assert not field_matches("total_amount", "529.87", "529.88")
    assert field_matches("currency", "EUR", "eur")


def test_names_without_legal_forms_or_nearly_equal() -> None:
    assert field_matches("vendor_name", "Coolblue B.V.", "COOLBLUE")
    assert field_matches("vendor_name", "Lieferant GmbH & Co. KG", "Lieferant")
    assert field_matches("vendor_name", "Amazon Web Services, Inc.", "Amazon Web Services")
    assert not field_matches("vendor_name", "Lieferant GmbH", "Kunden AG Mitte")


def test_nothing_extracted_is_wrong() -> None:
    assert not field_matches("total_amount", "1.00", None)


def test_lines_pair_one_to_one_on_amount_and_description() -> None:
    truth = [{"description": "Office Chair", "quantity": "1", "unit_price": "70.00", "amount": "70.00"},
             {"description": "Olive Oil", "quantity": "1", "unit_price": "1.00", "amount": "0.90"},
             {"description": "AWS Data Transfer", "quantity": None, "unit_price": "0.01", "amount": None}]
    got = [{"description": "Our Olive Oil", "amount": "0.90"},
           {"description": "Office Chair black", "amount": "70.00"},
           {"description": "Office Chair black", "amount": "70.00"},
           {"description": "AWS Data Transfer", "amount": "0.01"}]
    pairs = dict(match_lines(truth, got))
    assert pairs[0] in (1, 2) and pairs[1] == 0 and pairs[2] == 3 and len(pairs) == 3
    assert match_lines(truth, [{"description": "Olive Oil", "amount": "0.95"}]) == []
