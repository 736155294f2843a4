"""Identifiers that pass their checksums: VAT ids, IBANs, US routing numbers, EAN barcodes.

The numbers are random but valid, so that extraction's checksum validation and matching's
normalisation are exercised as with real vendors. Each VAT id is checked with the same function the
product uses (``models.identifiers.vat_valid``); IBANs are built by schwifty (national check digits
included) for real bank codes and checked with ``iban_valid``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from schwifty import IBAN
from stdnum import ean, luhn
from stdnum.us import rtn

from models.identifiers import iban_valid, vat_valid

_DIGITS = "0123456789"


@dataclass(frozen=True)
class Bank:
    country: str
    code: str
    bic: str
    name: str
    branch_len: int = 0
    account_len: int = 10


@dataclass(frozen=True)
class BankAccount:
    acc_number: str  # IBAN (compact) in SEPA countries, the account number in the US
    bic: str
    bank_name: str
    routing: str | None = None  # US ABA routing number

    @property
    def is_iban(self) -> bool:
        return self.routing is None


# Real bank codes and BICs (public reference data), so IBANs and BICs look like the ones on real invoices.
BANKS: dict[str, tuple[Bank, ...]] = {
    "DE": (Bank("DE", "10070000", "DEUTDEBBXXX", "Deutsche Bank AG"),
           Bank("DE", "10040000", "COBADEBBXXX", "Commerzbank AG"),
           Bank("DE", "37050198", "COLSDE33XXX", "Sparkasse KölnBonn"),
           Bank("DE", "70150000", "SSKMDEMMXXX", "Stadtsparkasse München"),
           Bank("DE", "43060967", "GENODEM1GLS", "GLS Gemeinschaftsbank eG"),
           Bank("DE", "70020270", "HYVEDEMMXXX", "UniCredit Bank GmbH")),
    "AT": (Bank("AT", "11000", "BKAUATWWXXX", "UniCredit Bank Austria AG", account_len=11),
           Bank("AT", "20111", "GIBAATWWXXX", "Erste Bank der oesterreichischen Sparkassen AG", account_len=11),
           Bank("AT", "15000", "OBKLAT2LXXX", "Oberbank AG", account_len=11)),
    "NL": (Bank("NL", "ABNA", "ABNANL2AXXX", "ABN AMRO Bank N.V."),
           Bank("NL", "INGB", "INGBNL2AXXX", "ING Bank N.V."),
           Bank("NL", "RABO", "RABONL2UXXX", "Coöperatieve Rabobank U.A.")),
    "FR": (Bank("FR", "30004", "BNPAFRPPXXX", "BNP Paribas", 5, 11),
           Bank("FR", "30003", "SOGEFRPPXXX", "Société Générale", 5, 11),
           Bank("FR", "30002", "CRLYFRPPXXX", "LCL Le Crédit Lyonnais", 5, 11),
           Bank("FR", "30066", "CMCIFRPPXXX", "CIC", 5, 11)),
    "IT": (Bank("IT", "02008", "UNCRITMMXXX", "UniCredit S.p.A.", 5, 12),
           Bank("IT", "03069", "BCITITMMXXX", "Intesa Sanpaolo S.p.A.", 5, 12),
           Bank("IT", "05387", "BPMOIT22XXX", "BPER Banca S.p.A.", 5, 12)),
    "ES": (Bank("ES", "0182", "BBVAESMMXXX", "Banco Bilbao Vizcaya Argentaria, S.A.", 4, 10),
           Bank("ES", "0049", "BSCHESMMXXX", "Banco Santander, S.A.", 4, 10),
           Bank("ES", "2100", "CAIXESBBXXX", "CaixaBank, S.A.", 4, 10)),
    "BE": (Bank("BE", "001", "GEBABEBBXXX", "BNP Paribas Fortis", 0, 7),
           Bank("BE", "363", "BBRUBEBBXXX", "ING Belgium", 0, 7),
           Bank("BE", "731", "KREDBEBBXXX", "KBC Bank", 0, 7)),
    "GB": (Bank("GB", "BARC", "BARCGB22XXX", "Barclays Bank PLC", 6, 8),
           Bank("GB", "NWBK", "NWBKGB2LXXX", "National Westminster Bank PLC", 6, 8),
           Bank("GB", "LOYD", "LOYDGB2LXXX", "Lloyds Bank PLC", 6, 8),
           Bank("GB", "HBUK", "HBUKGB4BXXX", "HSBC UK Bank PLC", 6, 8)),
    "IE": (Bank("IE", "AIBK", "AIBKIE2DXXX", "Allied Irish Banks, p.l.c.", 6, 8),
           Bank("IE", "BOFI", "BOFIIE2DXXX", "Bank of Ireland", 6, 8)),
    "CH": (Bank("CH", "00202", "UBSWCHZH80A", "UBS Switzerland AG", 0, 12),
           Bank("CH", "30000", "POFICHBEXXX", "PostFinance AG", 0, 12)),
    "SE": (Bank("SE", "500", "ESSESESSXXX", "Skandinaviska Enskilda Banken AB", 0, 16),
           Bank("SE", "600", "HANDSESSXXX", "Svenska Handelsbanken AB", 0, 16)),
    "DK": (Bank("DK", "0200", "DABADKKKXXX", "Danske Bank A/S"),
           Bank("DK", "0681", "JYBADKKKXXX", "Jyske Bank A/S")),
    "LU": (Bank("LU", "001", "BCEELULLXXX", "Banque et Caisse d'Epargne de l'Etat", 0, 13),),
}
# US banks: name, SWIFT BIC, and the first eight digits of a routing number in their district.
US_BANKS: tuple[tuple[str, str, str], ...] = (
    ("JPMorgan Chase Bank, N.A.", "CHASUS33XXX", "02100002"),
    ("Bank of America, N.A.", "BOFAUS3NXXX", "02600959"),
    ("Wells Fargo Bank, N.A.", "WFBIUS6SXXX", "12100024"),
    ("Citibank, N.A.", "CITIUS33XXX", "02100008"),
)


def random_digits(rng: random.Random, n: int, first_nonzero: bool = False) -> str:
    head = rng.choice("123456789") if first_nonzero else rng.choice(_DIGITS)
    return head + "".join(rng.choice(_DIGITS) for _ in range(n - 1))


def _complete(build: Callable[[str, str], str], alphabet: str, width: int, body: Callable[[], str]) -> str:
    """Draw a body, then try each check value until the id validates (redrawing if none does)."""
    for _ in range(50):
        core = body()
        for check in _checks(alphabet, width):
            candidate = build(core, check)
            if vat_valid(candidate):
                return candidate
    raise RuntimeError("no valid VAT id found; the generator's country format is wrong")


def _checks(alphabet: str, width: int) -> list[str]:
    if width == 1:
        return list(alphabet)
    return [a + b for a in alphabet for b in alphabet]


def vat_id(country: str, rng: random.Random) -> str | None:
    """A VAT id with a valid checksum for ``country`` (compact form); None where VAT ids do not exist."""
    if country == "US":
        return None
    if country == "FR":
        # The two-digit key precedes the SIREN, whose own last digit is a Luhn check.
        def siren() -> str:
            head = random_digits(rng, 8, True)
            return head + luhn.calc_check_digit(head)

        return _complete(lambda core, key: f"FR{key}{core}", _DIGITS, 2, siren)
    formats: dict[str, tuple[Callable[[str, str], str], str, int, Callable[[], str]]] = {
        "DE": (lambda c, k: f"DE{c}{k}", _DIGITS, 1, lambda: random_digits(rng, 8, True)),
        "AT": (lambda c, k: f"ATU{c}{k}", _DIGITS, 1, lambda: random_digits(rng, 7, True)),
        "NL": (lambda c, k: f"NL{c}{k}B01", _DIGITS, 1, lambda: random_digits(rng, 8, True)),
        "IT": (lambda c, k: f"IT{c}{k}", _DIGITS, 1,
               lambda: random_digits(rng, 7, True) + "0" + f"{rng.randint(1, 99):02d}"),
        "ES": (lambda c, k: f"ESB{c}{k}", _DIGITS, 1, lambda: random_digits(rng, 7, True)),
        "BE": (lambda c, k: f"BE0{c}{k}", _DIGITS, 2, lambda: random_digits(rng, 7, True)),
        "GB": (lambda c, k: f"GB{c}{k}", _DIGITS, 1, lambda: random_digits(rng, 8, True)),
        "CH": (lambda c, k: f"CHE{c}{k}MWST", _DIGITS, 1, lambda: random_digits(rng, 8, True)),
        "SE": (lambda c, k: f"SE{c}{k}01", _DIGITS, 1, lambda: "55" + random_digits(rng, 7)),
        "DK": (lambda c, k: f"DK{c}{k}", _DIGITS, 1, lambda: random_digits(rng, 7, True)),
        "IE": (lambda c, k: f"IE{c}{k}", "ABCDEFGHIJKLMNOPQRSTUVW", 1, lambda: random_digits(rng, 7, True)),
        "LU": (lambda c, k: f"LU{c}{k}", _DIGITS, 2, lambda: random_digits(rng, 6, True)),
    }
    if country not in formats:
        raise ValueError(f"no VAT id format for country {country}")
    build, alphabet, width, body = formats[country]
    return _complete(build, alphabet, width, body)


def bank_account(country: str, rng: random.Random) -> BankAccount:
    if country == "US":
        name, bic, prefix = rng.choice(US_BANKS)
        routing = prefix + rtn.calc_check_digit(prefix)
        return BankAccount(random_digits(rng, rng.choice((10, 12)), True), bic, name, routing)
    bank = rng.choice(BANKS[country])
    for _ in range(20):
        branch = random_digits(rng, bank.branch_len, True) if bank.branch_len else ""
        account = random_digits(rng, bank.account_len, True)
        iban = str(IBAN.generate(country, bank_code=bank.code, account_code=account, branch_code=branch))
        if iban_valid(iban):
            return BankAccount(iban, bank.bic, bank.name)
    raise RuntimeError(f"no valid IBAN found for {country}")


def ean13(rng: random.Random, prefix: str = "40") -> str:
    body = prefix + random_digits(rng, 12 - len(prefix))
    return body + ean.calc_check_digit(body)


def group_iban(iban: str) -> str:
    """``DE89370400440532013000`` → ``DE89 3704 0044 0532 0130 00``, as IBANs are printed."""
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
