"""Printed values to canonical ones: amounts to ``Decimal``, dates to ``date``, currencies to ISO 4217 codes.

Each parser returns ``None`` for text that is not a value of its kind; none of them raises on odd input,
because they run over every phrase of every page, most of which are not values at all.
"""

from extraction.normalise.amounts import AmountStyle, find_amounts, infer_amount_style, parse_amount
from extraction.normalise.currencies import currency_in, currency_votes
from extraction.normalise.dates import DateOrder, find_dates, infer_date_order, parse_date

__all__ = [
    "AmountStyle",
    "DateOrder",
    "currency_in",
    "currency_votes",
    "find_amounts",
    "find_dates",
    "infer_amount_style",
    "infer_date_order",
    "parse_amount",
    "parse_date",
]
