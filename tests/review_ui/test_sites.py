"""The site rule itself: who sees which clinic's documents, and how a list of sites is read and written."""

from __future__ import annotations

import pytest

from review_ui.sites import EVERY_SITE, SiteScope, parse_sites


def test_an_empty_list_is_the_whole_group_including_unknown_sites() -> None:
    scope = SiteScope.of([])
    assert scope.everywhere and scope == EVERY_SITE
    assert scope.allows("HAM") and scope.allows(None) and scope.label() == "all"


def test_a_clinic_sees_its_sites_and_not_unknown_ones() -> None:
    scope = SiteScope.of(["HAM", " BER "])
    assert scope.sites == frozenset({"HAM", "BER"}) and scope.label() == "BER,HAM"
    assert scope.allows("HAM") and scope.allows("BER")
    assert not scope.allows("MUC") and not scope.allows(None) and not scope.allows("ham")


@pytest.mark.parametrize("stored", [[""], [None, 3], ["a,b"], "HAM", {"HAM": 1}, ["\x00"]])
def test_a_stored_list_with_nothing_usable_shows_nothing_rather_than_everything(stored: object) -> None:
    scope = SiteScope.of(stored)
    assert not scope.everywhere and not scope.allows("HAM") and not scope.allows(None)
    assert scope.describe() == "no site"


def test_nobody_grants_more_than_they_have() -> None:
    ham, ham_ber = SiteScope(frozenset({"HAM"})), SiteScope(frozenset({"HAM", "BER"}))
    assert EVERY_SITE.covers(ham_ber) and ham_ber.covers(ham) and ham.covers(ham)
    assert not ham.covers(ham_ber) and not ham.covers(EVERY_SITE)


def test_sites_are_typed_as_codes_separated_by_commas_or_all() -> None:
    assert parse_sites(" HAM, BER,HAM ") == ["BER", "HAM"]
    assert parse_sites("ALL") == [] and parse_sites("all") == []
    assert parse_sites("Klinik Hamburg-Nord") == ["Klinik Hamburg-Nord"]  # a warehouse without a code
    for bad in ("", "  ", "HAM,,BER", ",", "HA\tM", "x" * 61):
        with pytest.raises(ValueError):
            parse_sites(bad)
