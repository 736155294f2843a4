"""Duplicate checks: the same invoice under a re-keyed number is caught, the vendor's next invoice is not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from matching.duplicates import Earlier, InvoiceKey, earlier_from, find_duplicates
from matching.mirror_view import BillRecord, PriorDocument
from matching.policy import default_policy
from models.holds import HoldCode

D = Decimal
POLICY = default_policy()


def key(number: str, total: str = "230.44", day: date = date(2025, 6, 20), vendor: int = 1) -> InvoiceKey:
    return InvoiceKey(99, vendor, number, day, D(total), "EUR", False)


def earlier(number: str, total: str = "230.44", day: date = date(2025, 6, 7), vendor: int = 1,
            state: str = "posted") -> Earlier:
    return Earlier("odoo_bill", 42, vendor, number, day, D(total), "EUR", state, False)


@pytest.mark.parametrize("rekeyed", ["INV 2025/1001", "inv-2025-1001", "INV-2025-1O01", "INV-2025-1010"])
def test_the_same_number_written_differently_with_the_same_total_is_a_duplicate(rekeyed: str) -> None:
    (f,) = find_duplicates(key(rekeyed), [earlier("INV-2025-1001")], frozenset(), POLICY)
    assert f.code is HoldCode.DUPLICATE_SUSPECTED and f.evidence["earlier_odoo_bill_id"] == 42


def test_the_next_number_of_the_vendors_sequence_with_the_same_total_is_not() -> None:
    assert find_duplicates(key("FAC-25-37279"), [earlier("FAC-25-37278")], frozenset(), POLICY) == []


def test_an_exact_number_is_a_duplicate_in_any_state_and_at_any_distance() -> None:
    (f,) = find_duplicates(key("A-1", total="999.00", day=date(2026, 1, 1)),
                           [earlier("A-1", state="cancel")], frozenset(), POLICY)
    assert "same vendor and invoice number" in f.message


def test_same_total_within_the_relaxed_window_under_a_new_number() -> None:
    assert find_duplicates(key("B-9", day=date(2025, 6, 9)), [earlier("A-1")], frozenset(), POLICY)
    assert not find_duplicates(key("B-9", day=date(2025, 6, 20)), [earlier("A-1")], frozenset(), POLICY)


def test_another_vendor_sharing_the_bank_account_with_the_same_invoice() -> None:
    other = earlier("INV-77", vendor=2)
    assert find_duplicates(key("INV-77"), [other], frozenset({2}), POLICY)
    assert not find_duplicates(key("INV-77"), [other], frozenset(), POLICY)


def test_only_earlier_documents_and_those_already_let_through_count() -> None:
    docs = [PriorDocument(5, "in_review", 1, "X", None, D(1), "EUR", "invoice"),
            PriorDocument(150, "extracted", 1, "X", None, D(1), "EUR", "invoice"),
            PriorDocument(151, "auto_approved", 1, "X", None, D(1), "EUR", "invoice")]
    bills = [BillRecord(7, "in_invoice", "posted", 1, ref="X"), BillRecord(8, "in_invoice", "posted", 1, ref="X")]
    seen = earlier_from(docs, bills, current_id=100, own_bills=frozenset({8}))
    assert [(e.kind, e.id) for e in seen] == [("document", 5), ("document", 151), ("odoo_bill", 7)]
