from __future__ import annotations

import random

import pytest
from stdnum import ean
from stdnum.us import rtn

from models.identifiers import iban_valid, vat_valid
from synth.identity import BANKS, bank_account, ean13, group_iban, vat_id
from synth.world.places import COUNTRIES


@pytest.mark.parametrize("country", sorted(c for c in COUNTRIES if c != "US"))
def test_vat_ids_pass_their_country_checksum(country: str) -> None:
    r = random.Random(country)
    ids = {vat_id(country, r) for _ in range(25)}
    assert all(v is not None and vat_valid(v) for v in ids)
    assert len(ids) > 20  # random, not one number over and over


def test_us_vendors_have_no_vat_id_but_a_valid_routing_number() -> None:
    r = random.Random(3)
    assert vat_id("US", r) is None
    account = bank_account("US", r)
    assert not account.is_iban and account.routing is not None and rtn.is_valid(account.routing)


@pytest.mark.parametrize("country", sorted(BANKS))
def test_ibans_pass_checksums_and_keep_the_banks_bic(country: str) -> None:
    r = random.Random(country)
    for _ in range(10):
        account = bank_account(country, r)
        assert iban_valid(account.acc_number), account.acc_number
        assert account.acc_number.startswith(country)
        assert account.bic in {b.bic for b in BANKS[country]}


def test_a_mistyped_iban_or_vat_id_is_caught() -> None:
    r = random.Random(5)
    iban = bank_account("DE", r).acc_number
    typo = iban[:-1] + str((int(iban[-1]) + 1) % 10)
    assert not iban_valid(typo)
    vat = vat_id("DE", r)
    assert vat is not None
    assert not vat_valid(vat[:-1] + str((int(vat[-1]) + 1) % 10))


def test_barcodes_and_printed_ibans() -> None:
    code = ean13(random.Random(1))
    assert len(code) == 13 and ean.is_valid(code)
    assert group_iban("DE89370400440532013000") == "DE89 3704 0044 0532 0130 00"
