"""Amounts as invoices in six locales print them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extraction.normalise.amounts import AmountStyle, amount_str, find_amounts, infer_amount_style, parse_amount


@pytest.mark.parametrize(("text", "value"), [
    ("1.234,56", "1234.56"),
    ("1,234.56", "1234.56"),
    ("1'234.56", "1234.56"),
    ("1 234,56", "1234.56"),
    ("1\u202f234,56", "1234.56"),
    ("€ 399,00", "399.00"),
    ("$4.11", "4.11"),
    ("1,500.00 €", "1500.00"),
    ("EUR 49,99", "49.99"),
    ("2.000,00", "2000.00"),
    ("9,9000", "9.9000"),
    ("0,200", "0.200"),
    ("1.234.567", "1234567"),
])
def test_both_decimal_conventions_read_to_the_same_value(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize(("text", "value"), [("-5,00", "-5.00"), ("(5.00)", "-5.00"), ("5,00-", "-5.00"),
                                             ("– 12,50 €", "-12.50")])
def test_credits_print_their_sign_in_several_ways(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


def test_a_lone_three_digit_group_follows_the_documents_style() -> None:
    assert parse_amount("1,234") == Decimal("1234")
    assert parse_amount("1,234", AmountStyle(",")) == Decimal("1.234")
    assert parse_amount("1.234", AmountStyle(".")) == Decimal("1.234")


def test_the_document_style_comes_from_its_two_decimal_amounts() -> None:
    assert infer_amount_style(["Summe 1.234,56", "MwSt 19,00"]).decimal == ","
    assert infer_amount_style(["Total 1,234.56", "Tax 3.00"]).decimal == "."
    assert infer_amount_style(["no figures here"]).decimal is None


def test_percentages_ids_and_dates_are_not_amounts() -> None:
    assert find_amounts("TVA 20%") == []
    assert find_amounts("15.00%") == []
    assert find_amounts("DE123456789") == []
    assert find_amounts("ABC123") == []


def test_the_currency_printed_beside_an_amount_is_kept() -> None:
    found = find_amounts("Tax 15% on $ 112.90   $ 16.94")
    assert [(a.value, a.currency) for a in found] == [(Decimal("112.90"), "USD"), (Decimal("16.94"), "USD")]
    assert find_amounts("RM 12.50")[0].currency == "MYR"


def test_several_amounts_in_one_text_are_not_one_amount() -> None:
    assert parse_amount("3,00 m2 4,00") is None


def test_canonical_text_keeps_cents_and_extra_precision() -> None:
    assert amount_str(Decimal("112")) == "112.00"
    assert amount_str(Decimal("9.9000")) == "9.9000"
    assert amount_str(Decimal("-7.5")) == "-7.50"
