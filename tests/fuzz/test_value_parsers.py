"""Amounts, dates, currencies, VAT ids, IBANs and file names: parsers that run over every phrase of every
page (or every name a sender chose) must never raise, whatever the text."""

from __future__ import annotations

from hypothesis import given

from tests.fuzz.budget import budget
from tests.fuzz.strategies import texts
from tests.fuzz.targets import amounts, currencies, dates, filenames, identifiers, text_seeds


@budget(500)
@given(texts(text_seeds()))
def test_amount_parsing_never_raises_and_reads_finite_decimals(text: str) -> None:
    amounts(text)


@budget(500)
@given(texts(text_seeds()))
def test_date_parsing_never_raises_and_reads_plausible_years(text: str) -> None:
    dates(text)


@budget(300)
@given(texts(text_seeds()))
def test_currency_detection_never_raises(text: str) -> None:
    currencies(text)


@budget(500)
@given(texts(text_seeds()))
def test_vat_iban_and_reference_normalisation_never_raise_and_are_idempotent(text: str) -> None:
    identifiers(text)


@budget(400)
@given(texts(text_seeds()))
def test_file_names_from_outside_never_become_paths(text: str) -> None:
    filenames(text)
