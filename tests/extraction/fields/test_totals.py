"""Net, tax and total chosen together, on receipts as OCR reads them."""

from __future__ import annotations

from decimal import Decimal

from extraction.fields.candidates import Candidate
from extraction.fields.context import DocContext
from extraction.fields.header import extract_header
from extraction.fields.layout import build_layout
from extraction.fields.totals import choose_totals
from models.invoice import BBox
from models.text import PageText
from tests.extraction.words import page


def _fields(*pages: PageText) -> dict[str, str]:
    fs = extract_header(DocContext(build_layout(list(pages))))
    return {name: c.value for name, c in fs.fields.items()}


def _total(value: str, y: float, score: float = 0.7) -> Candidate:
    return Candidate(field="total_amount", value=value, score=score, page=1, bbox=BBox(300, y, 340, y + 10),
                     raw=value, y=y, line_text=f"Total {value}")


def test_a_tax_code_glued_onto_the_total_as_a_third_decimal_is_dropped() -> None:
    got = _fields(page(
        (60, 80, "FIVE STAR CASH & CARRY"),
        (60, 300, "TAKSTAPPAL 3KG"), (300, 300, "45.00"),
        (60, 330, "TOTAL"), (300, 330, "45.006"),
        (60, 345, "CASH"), (300, 345, "45.00"),
    ))
    assert got["total_amount"] == "45.00"


def test_a_total_with_three_decimals_is_kept_when_nothing_printed_says_otherwise() -> None:
    chosen = choose_totals([_total("45.006", 330)], None, [Decimal("12.50")])
    assert chosen["total_amount"].value == "45.006"


def test_the_cash_rounded_total_printed_after_the_exact_one_is_the_total() -> None:
    got = _fields(page(
        (60, 80, "ANZEL ADVERTISING SDN BHD"),
        (60, 300, "Total Amt incl 6%:"), (300, 300, "7.42"),
        (60, 315, "Rounding Adjustment:"), (300, 315, "(0.02)"),
        (60, 330, "Total Amt Payable:"), (300, 330, "7.40"),
        (60, 345, "Paid Amount:"), (300, 345, "10.00"),
    ))
    assert got["total_amount"] == "7.40"


def test_an_amount_on_the_rounding_step_printed_before_the_exact_total_gains_nothing() -> None:
    chosen = choose_totals([_total("7.40", 300), _total("7.42", 330, score=0.72)], None, [])
    assert chosen["total_amount"].value == "7.42"
    assert "rounded_total" not in chosen["total_amount"].features
