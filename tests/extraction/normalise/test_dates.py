"""Dates in six languages and three orders, settled by the document's other dates."""

from __future__ import annotations

from datetime import date

import pytest

from extraction.normalise.dates import DateOrder, find_dates, infer_date_order, parse_date


@pytest.mark.parametrize(("text", "day"), [
    ("2017-05-09", date(2017, 5, 9)),
    ("09.05.2017", date(2017, 5, 9)),
    ("26.10.22", date(2022, 10, 26)),
    ("21/09/2022", date(2022, 9, 21)),
    ("7. Mai 2014", date(2014, 5, 7)),
    ("August 3 , 2014", date(2014, 8, 3)),
    ("28 Jan 15", date(2015, 1, 28)),
    ("19 april 2014", date(2014, 4, 19)),
    ("29 maart 2014", date(2014, 3, 29)),
    ("1er février 2023", date(2023, 2, 1)),
    ("3 de marzo de 2024", date(2024, 3, 3)),
    ("12 dicembre 2023", date(2023, 12, 12)),
    ("Jan 5th, 2024", date(2024, 1, 5)),
    ("Date: 31/01/2022", date(2022, 1, 31)),
])
def test_printed_dates_resolve_to_their_day(text: str, day: date) -> None:
    assert parse_date(text) == day


def test_an_ambiguous_slash_date_follows_the_document_order() -> None:
    assert parse_date("03/04/2025", DateOrder.DMY) == date(2025, 4, 3)
    assert parse_date("03/04/2025", DateOrder.MDY) == date(2025, 3, 4)
    # Dots are day-first wherever they are printed.
    assert parse_date("03.04.2025", DateOrder.MDY) == date(2025, 4, 3)


def test_the_order_comes_from_dates_that_only_fit_one_way() -> None:
    assert infer_date_order(["Invoice date 03/20/2023", "Due 04/04/2023"]) is DateOrder.MDY
    assert infer_date_order(["Date 21/09/2022", "Due 03/10/2022"]) is DateOrder.DMY
    assert infer_date_order(["nothing"], DateOrder.MDY) is DateOrder.MDY


def test_compact_dates_only_when_asked() -> None:
    assert find_dates("20191030") == []
    assert find_dates("20191030", compact=True)[0].value == date(2019, 10, 30)


def test_impossible_days_and_periods_are_not_dates() -> None:
    assert parse_date("31.02.2024") is None
    assert parse_date("01.05.14-31.05.14") is None
    assert parse_date("version 2.6") is None
