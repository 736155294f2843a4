"""No text makes the amount, date or currency parsers fail other than by saying "no value"."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.normalise.amounts import AmountStyle, find_amounts, infer_amount_style, parse_amount
from extraction.normalise.currencies import currency_in, currency_votes
from extraction.normalise.dates import DateOrder, find_dates, infer_date_order, parse_date

# Invoice-like characters weighted in, so the fuzzer reaches the interesting branches quickly.
_ALPHABET = st.sampled_from([*"0123456789.,'-/ €$£()%:", "EUR", "RM", "Mai", "janv", "\u202f", "de"])
_TEXT = st.one_of(st.text(max_size=60), st.lists(_ALPHABET, max_size=30).map("".join))


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.sampled_from([None, ",", "."]))
def test_amount_parsing_never_raises(text: str, decimal: str | None) -> None:
    style = AmountStyle(decimal)
    for found in find_amounts(text, style):
        assert isinstance(found.value, Decimal)
        assert 0 <= found.start < found.end <= len(text)
    value = parse_amount(text, style)
    assert value is None or isinstance(value, Decimal)
    infer_amount_style([text])


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.sampled_from([None, *DateOrder]))
def test_date_parsing_never_raises(text: str, order: DateOrder | None) -> None:
    for found in find_dates(text, order, compact=True):
        assert 1900 <= found.value.year <= 2099
    parse_date(text, order)
    infer_date_order([text])


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_currency_reading_never_raises(text: str) -> None:
    code = currency_in(text)
    assert code is None or len(code) == 3
    currency_votes([text])
