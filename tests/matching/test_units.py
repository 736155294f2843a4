from __future__ import annotations

from decimal import Decimal

import pytest

from matching.mirror_view import UomRecord
from matching.units import convert_price, convert_qty, pack_size, resolve_unit, unit_family
from tests.matching.world import BOX100, CASE12, KG, UNITS

UNIT_CATEGORY = [UNITS, BOX100, CASE12]


@pytest.mark.parametrize(("printed", "expected"), [
    ("Units", UNITS), ("pcs", UNITS), ("Stück", UNITS), ("C62", UNITS), ("EA", UNITS),
    ("Box of 100", BOX100), ("BX100", BOX100), ("box", BOX100), ("XBX", BOX100), ("Case/12", CASE12),
    ("carton", CASE12),
])
def test_invoice_units_are_read_as_the_erp_unit_they_mean(printed: str, expected: object) -> None:
    assert resolve_unit(printed, UNIT_CATEGORY) == expected


def test_an_unknown_word_is_not_guessed() -> None:
    assert resolve_unit("Gebinde", UNIT_CATEGORY) is None
    assert unit_family("Gebinde") is None and pack_size("C62") is None


def test_conversion_follows_odoos_factors() -> None:
    assert convert_qty(Decimal(5), BOX100, UNITS) == Decimal(500)
    assert convert_qty(Decimal(24), UNITS, CASE12) == Decimal(2)
    assert convert_price(Decimal("50.00"), BOX100, UNITS) == Decimal("0.5")
    assert convert_qty(Decimal(3), KG, KG) == Decimal(3)


def test_odoos_rounded_factors_leave_no_dust_in_converted_quantities() -> None:
    rack = UomRecord(9, "Rack of 96", "Unit", Decimal("0.010416666667"), "bigger")
    assert convert_qty(Decimal(1248), UNITS, rack) == Decimal(13)
    assert convert_price(Decimal("0.04"), UNITS, rack) == Decimal("3.84")
