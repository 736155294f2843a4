"""Normal forms and checksums of the identifiers that tie an invoice to a vendor: VAT ids, IBANs,
invoice and order numbers. Pure functions, used by extraction, the ERP mirror and matching alike."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from stdnum import iban as std_iban
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError

_SEPARATORS = re.compile(r"[\s\-./_:]")
_VAT_PREFIX = re.compile(r"^[A-Z]{2}")
# Greece prints EL in VAT ids where ISO says GR; XI is Northern Ireland under the EU VAT rules.
_VAT_COUNTRY_ALIASES = {"GR": "EL"}


def normalise_ref(value: str | None) -> str:
    """Invoice and order numbers compared as the corpus rules say: no whitespace, ``-``, ``.``, ``/``; upper case."""
    if not value:
        return ""
    return re.sub(r"[\s\-./]", "", value).upper()


def normalise_vat(value: str | None) -> str:
    """``de 123.456.789`` → ``DE123456789``."""
    if not value:
        return ""
    # NFKC again after the separators go: "´" folds to a space and a combining accent, and once the space
    # is removed the accent composes with the letter before it; without this a second pass differs.
    compact = unicodedata.normalize("NFKC", _SEPARATORS.sub("", unicodedata.normalize("NFKC", value)).upper())
    if compact[:2] in _VAT_COUNTRY_ALIASES:
        compact = _VAT_COUNTRY_ALIASES[compact[:2]] + compact[2:]
    return compact


def vat_without_country(value: str | None) -> str:
    compact = normalise_vat(value)
    return compact[2:] if _VAT_PREFIX.match(compact) and len(compact) > 4 else compact


def vat_valid(value: str | None) -> bool:
    """True when the VAT id passes its country's checksum (EU member states, GB, CH, NO and others
    that python-stdnum knows); ids of countries it does not know are judged by shape only."""
    compact = normalise_vat(value)
    if len(compact) < 4:
        return False
    country = compact[:2]
    try:
        if country in eu_vat.MEMBER_STATES or country in {"EL", "XI"}:
            eu_vat.validate(compact)
            return True
        module = _country_vat_module(country)
        if module is not None:
            module.validate(compact)
            return True
    except ValidationError:
        return False
    return bool(re.fullmatch(r"[A-Z]{2}[A-Z0-9]{4,14}", compact))


def _country_vat_module(country: str) -> Any:
    from stdnum import get_cc_module

    try:
        return get_cc_module(country.lower(), "vat")
    except (ImportError, ValueError):
        return None


def normalise_iban(value: str | None) -> str:
    if not value:
        return ""
    return re.sub(r"[\s\-]", "", value).upper()


def iban_valid(value: str | None) -> bool:
    compact = normalise_iban(value)
    try:
        std_iban.validate(compact)
    except ValidationError:
        return False
    return True
