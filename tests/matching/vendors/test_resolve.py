"""Vendor resolution: identifiers first, then names; ambiguity and the unknown are holds, never guesses."""

from __future__ import annotations

from matching.mirror_view import CompanyRecord, MirrorSnapshot, VendorRecord
from matching.vendors import VendorClues, VendorIndex, iban_finding, resolve_vendor
from models.holds import HoldCode

VENDORS = [
    VendorRecord(1, "Müller Medizintechnik GmbH", vat="DE136695976", bank_accounts=("DE89370400440532013000",),
                 domains=("mueller-med.de",), zip="20095", city="Hamburg"),
    VendorRecord(2, "Laboratoires Dupont SARL", vat="FR40303265045", bank_accounts=("FR1420041010050500013M02606",)),
    VendorRecord(3, "Rossi Farmaceutici S.p.A.", vat="IT00743110157"),
    VendorRecord(4, "Nordic Dental Supply AB", zip="11122", city="Stockholm"),
    VendorRecord(5, "Nordic Dental Supply AB", zip="41103", city="Göteborg"),
    VendorRecord(6, "Medline Factoring Partner", bank_accounts=("DE02120300000000202051",)),
    VendorRecord(7, "Medline International GmbH", bank_accounts=("DE02120300000000202051",)),
    VendorRecord(8, "Heleron Facility Services Inc.", city="Boston, MA", zip="02110"),
    VendorRecord(9, "Kardex Surgical Instruments Ltd"),
    VendorRecord(10, "Baltic Surgical Instruments Ltd"),
    # Words many vendors share, as in any vendor master: they tell nobody apart.
    *(VendorRecord(20 + i, f"{w} Facility Services Ltd") for i, w in enumerate(["Aldor", "Brightwell", "Cortex",
                                                                                "Dunmore", "Eastgate"])),
]
INDEX = VendorIndex(MirrorSnapshot("r1", VENDORS, companies=[CompanyRecord(100, "Klinik Nord", vat="DE811907980")]))


def test_a_tax_id_resolves_even_without_its_country_prefix() -> None:
    r = resolve_vendor(VendorClues(name="Something else entirely", vat="136 695 976"), INDEX)
    assert (r.vendor_id, r.method, r.findings) == (1, "vat", ())


def test_an_iban_resolves_when_there_is_no_tax_id() -> None:
    assert resolve_vendor(VendorClues(iban="FR14 2004 1010 0505 0001 3M02 606"), INDEX).vendor_id == 2


def test_the_senders_mail_domain_resolves_and_a_subdomain_counts_as_its_parent() -> None:
    r = resolve_vendor(VendorClues(email_domain="billing.mueller-med.de"), INDEX)
    assert (r.vendor_id, r.method) == (1, "domain")


def test_a_public_mail_domain_identifies_nobody() -> None:
    assert INDEX.by_domain("gmail.com") == set()


def test_a_misspelt_name_in_another_word_order_still_resolves() -> None:
    r = resolve_vendor(VendorClues(name="Farmaceutici Rosi SpA"), INDEX)
    assert (r.vendor_id, r.method) == (3, "name")


def test_a_vendor_recorded_twice_is_ambiguous_with_both_candidates() -> None:
    r = resolve_vendor(VendorClues(name="Nordic Dental Supply"), INDEX)
    assert r.vendor_id is None
    assert [f.code for f in r.findings] == [HoldCode.VENDOR_AMBIGUOUS]
    assert {c.vendor_id for c in r.candidates} == {4, 5}


def test_the_address_breaks_a_tie_between_near_identical_names() -> None:
    r = resolve_vendor(VendorClues(name="Nordic Dental Supply", address="Box 12, 41103 Göteborg"), INDEX)
    assert r.vendor_id == 5


def test_the_orders_vendor_breaks_a_tie_but_never_resolves_alone() -> None:
    tie = resolve_vendor(VendorClues(name="Nordic Dental Supply", po_vendor_ids=frozenset({4})), INDEX)
    assert tie.vendor_id == 4
    alone = resolve_vendor(VendorClues(name="Zebra Logistics", po_vendor_ids=frozenset({4})), INDEX)
    assert alone.vendor_id is None and alone.findings[0].code is HoldCode.VENDOR_UNKNOWN


def test_an_iban_shared_by_two_vendors_is_settled_by_the_name() -> None:
    r = resolve_vendor(VendorClues(name="Medline International", iban="DE02120300000000202051"), INDEX)
    assert r.vendor_id == 7


def test_nothing_known_is_unknown_and_no_vendor_is_created() -> None:
    r = resolve_vendor(VendorClues(name="Acme Rocket Supplies", vat="DE811569869"), INDEX)
    assert r.vendor_id is None and r.findings[0].code is HoldCode.VENDOR_UNKNOWN
    assert "Create or link the vendor in Odoo" in r.findings[0].message


def test_a_familiar_name_with_somebody_elses_valid_tax_id_is_not_resolved_by_name() -> None:
    r = resolve_vendor(VendorClues(name="Laboratoires Dupont", vat="DE811569869"), INDEX)
    assert r.vendor_id is None and "not theirs" in r.findings[0].message


def test_the_buyers_own_tax_id_read_as_the_vendors_is_ignored() -> None:
    r = resolve_vendor(VendorClues(name="Laboratoires Dupont SARL", vat="DE811907980"), INDEX)
    assert r.vendor_id == 2 and "our own company" in r.evidence["vat_ignored"]


def test_an_iban_not_on_file_is_bank_details_changed_naming_its_owner() -> None:
    f = iban_finding(1, VendorClues(iban="FR1420041010050500013M02606"), INDEX)
    assert f is not None and f.code is HoldCode.BANK_DETAILS_CHANGED and f.release_role == "manager"
    assert "Laboratoires Dupont SARL" in f.message and f.measured == "FR1420041010050500013M02606"
    assert iban_finding(1, VendorClues(iban="DE89 3704 0044 0532 0130 00"), INDEX) is None


def test_an_iban_failing_its_checksum_is_a_reading_problem_not_a_bank_change() -> None:
    f = iban_finding(1, VendorClues(iban="DE89370400440532013001"), INDEX)
    assert f is not None and f.code is HoldCode.LOW_CONFIDENCE


def test_a_name_sharing_only_common_words_proposes_nobody() -> None:
    r = resolve_vendor(VendorClues(name="Beloheim Facility Services Corp."), INDEX)
    assert r.vendor_id is None and r.findings[0].code is HoldCode.VENDOR_UNKNOWN


def test_the_rare_word_settles_a_near_tie_of_whole_name_scores() -> None:
    assert resolve_vendor(VendorClues(name="Kardex Surgical Instrument"), INDEX).vendor_id == 9
