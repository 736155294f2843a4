from __future__ import annotations

import pytest

from matching.po_numbers import OrderNumberIndex, printed_numbers, tolerant_key


@pytest.mark.parametrize("printed", ["P00123", "PO-000123", "PO 123", "PO0O123", "P0O123", "Bestellung P00123",
                                     "po-00I23"])
def test_prefixes_zero_padding_and_ocr_lookalikes_meet_at_one_key(printed: str) -> None:
    assert tolerant_key(printed) == "123"


def test_an_exact_number_wins_over_a_tolerant_one() -> None:
    index = OrderNumberIndex([(1, "P00123", 10), (2, "PO-123", 11)])
    assert index.lookup("P00123") == ({1}, "exact")
    assert index.lookup("PO 0O123") == ({1, 2}, "tolerant")
    assert index.lookup("P00999") == (set(), "none")


def test_one_field_may_name_several_orders_and_each_is_kept_once() -> None:
    assert printed_numbers(["P00012"], "P00012, P00013 / P00014") == ["P00012", "P00013", "P00014"]
