"""One field's check, as the screen runs it while the clerk types and as a saved correction runs it."""

from __future__ import annotations

import pytest

from review_ui.services.validation import check_field


@pytest.mark.parametrize(("name", "typed", "stored"), [
    ("total_amount", "1.234,50", "1234.50"),
    ("total_amount", "1,234.50", "1234.50"),
    ("total_amount", "1 234,5", "1234.5"),
    ("net_amount", "-12.00", "-12.00"),
    ("quantity", "3", "3"),
    ("invoice_date", "2024-02-29", "2024-02-29"),
    ("currency", "eur", "EUR"),
    ("vendor_vat", "de 136 695 976", "DE136695976"),
    ("vendor_iban", "de89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ("invoice_number", "  INV-1  ", "INV-1"),
])
def test_good_values_are_stored_in_their_canonical_form(name: str, typed: str, stored: str) -> None:
    check = check_field(name, typed)
    assert check.ok and check.value == stored


@pytest.mark.parametrize(("name", "typed", "says"), [
    ("invoice_date", "2023-02-29", "YYYY-MM-DD"),
    ("invoice_date", "12/03/2024", "YYYY-MM-DD"),
    ("due_date", "1899-01-01", "between 1990"),
    ("total_amount", "12,34,5x", "number"),
    ("total_amount", "NaN", "number"),
    ("tax_rate", "-19", "negative"),
    ("currency", "EURO", "3-letter"),
    ("vendor_vat", "DE136695977", "checksum"),
    ("vendor_iban", "DE89 3704 0044 0532 0130 01", "checksum"),
    ("vendor_name", "x" * 501, "500"),
])
def test_bad_values_say_what_is_wrong(name: str, typed: str, says: str) -> None:
    check = check_field(name, typed)
    assert not check.ok and says in check.message


def test_an_empty_value_is_allowed_it_clears_the_field() -> None:
    assert check_field("vendor_iban", "   ").ok


def test_the_screen_asks_the_same_check_over_the_api(world: object) -> None:
    from tests.review_ui.conftest import World

    assert isinstance(world, World)
    client = world.client("alice")
    csrf = client.get("/api/v1/me").json()["csrf_token"]
    response = client.post("/api/v1/validate", headers={"X-CSRF-Token": csrf},
                           json={"field": "vendor_iban", "value": "DE89 3704 0044 0532 0130 01"})
    assert response.json() == {"ok": False, "value": "DE89370400440532013001", "message": "IBAN fails its checksum"}
