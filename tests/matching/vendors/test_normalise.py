from __future__ import annotations

import pytest

from matching.vendors.normalise import match_key, normalise_name, postcode_tokens


@pytest.mark.parametrize(("printed", "expected"), [
    ("Müller Medizintechnik GmbH & Co. KG", "muller medizintechnik"),
    ("MUELLER MEDIZINTECHNIK", "muller medizintechnik"),
    ("Laboratoires Dupont S.A.R.L.", "laboratoires dupont"),
    ("Farmaceutici Rossi S.p.A.", "farmaceutici rossi"),
    ("De Vries Medical B.V.", "de vries medical"),
    ("Smith & Nephew plc", "smith nephew"),
    ("Clínica Ñandú S.L.", "clinica nandu"),
])
def test_legal_forms_accents_and_punctuation_carry_no_identity(printed: str, expected: str) -> None:
    assert match_key(printed) == expected


def test_initials_at_the_start_of_a_name_are_kept() -> None:
    assert normalise_name("S A Medical Ltd") == "s a medical"


def test_a_name_that_is_only_a_legal_form_is_kept_rather_than_emptied() -> None:
    assert normalise_name("Ltd") == "ltd"


def test_postcodes_are_the_digit_bearing_tokens_of_an_address() -> None:
    assert postcode_tokens("Hauptstraße 5, 20095 Hamburg") == {"5", "20095"}
