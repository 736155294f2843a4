"""Currencies from codes, symbols and names."""

from __future__ import annotations

import pytest

from extraction.normalise.currencies import currency_in, currency_votes


@pytest.mark.parametrize(("text", "code"), [
    ("Währung: EUR", "EUR"), ("€ 399,00", "EUR"), ("$4.11", "USD"), ("US$ 20", "USD"), ("£12.00", "GBP"),
    ("RM 9.00", "MYR"), ("DEVISE : EURO", "EUR"), ("All charges are in US Dollars", "USD"), ("CHF 120.00", "CHF"),
])
def test_codes_symbols_and_names(text: str, code: str) -> None:
    assert currency_in(text) == code


def test_words_that_merely_look_like_codes_are_not_currencies() -> None:
    assert currency_in("The total due") is None
    assert currency_in("form") is None  # "rm" inside a word
    assert currency_in("EUR 10 or USD 12") is None  # two currencies: not one


def test_votes_count_every_mention() -> None:
    votes = currency_votes(["Total € 10,00", "Tax € 1,90", "USD 3"])
    assert votes["EUR"] == 2 and votes["USD"] == 1
