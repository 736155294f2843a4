"""Identifiers in text: VAT ids, IBANs, BICs, e-mail addresses and web addresses.

A spaCy blank tokenizer (``:`` and ``;`` split as infixes, so ``USt-IdNr.:DE123…`` separates) and a
``Matcher`` over token shapes find them, including the grouped forms invoices print
(``DE 232 446 240``, ``DE34 7007 0010 0156 9193 01``). The matcher proposes every length a grouped
pattern allows; the longest that passes the identifier's checksum wins, else the longest of a plausible
shape, so a sample id with a bad check digit is still read (and scored lower by the caller).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from models.identifiers import iban_valid, normalise_iban, normalise_vat, vat_valid

VAT_COUNTRIES = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "GB", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI", "CH", "NO",
]
_VAT_WORD = re.compile(r"\b(?:" + "|".join(VAT_COUNTRIES) + r")[0-9][0-9A-Z]{6,13}\b")
_GLUED = re.compile(r"[A-Z0-9]{1,3}(?![A-Za-z0-9])")
_PREFILTER = re.compile(r"[A-Z]{2}\s?[0-9]|CHE[-.\s]?[0-9]|@|www\.|https?:|\b[A-Z]{6}[A-Z0-9]{2}")


@dataclass(frozen=True)
class Entity:
    kind: str  # VAT, IBAN, BIC, EMAIL, URL
    start: int
    end: int
    value: str
    valid: bool  # passes its checksum (VAT, IBAN) or its syntax (BIC, EMAIL, URL)


@lru_cache(maxsize=1)
def _pipeline() -> tuple[Any, Any]:
    import spacy
    from spacy.matcher import Matcher
    from spacy.util import compile_infix_regex

    nlp: Any = spacy.blank("xx")
    infixes = [*list(nlp.Defaults.infixes), r"[:;|]"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    matcher = Matcher(nlp.vocab)
    countries = "|".join(VAT_COUNTRIES)
    matcher.add("VAT", [
        # Most countries: two letters then digits (ATU…, ESB…/ESX… with a letter first, NL…B01 with letters).
        [{"TEXT": {"REGEX": rf"^(?:{countries})(?:[A-Z]?[0-9][0-9A-Z]{{7,13}})$"}}],
        [{"TEXT": {"REGEX": rf"^(?:{countries})(?:[A-Z]?[0-9][0-9A-Z]{{0,3}})?$"}},
         {"TEXT": {"REGEX": r"^[0-9][0-9A-Z]{0,9}$"}, "OP": "+"}],
        # Switzerland: CHE-123.456.789 MWST/TVA/IVA, printed whole or in parts.
        [{"TEXT": {"REGEX": r"^CHE[-.]?[0-9]{3}[.]?[0-9]{3}[.]?[0-9]{3}(?:MWST|TVA|IVA)?$"}}],
        [{"TEXT": {"REGEX": r"^CHE$"}}, {"TEXT": "-", "OP": "?"}, {"TEXT": {"REGEX": r"^[-0-9.]{9,12}$"}, "OP": "+"},
         {"TEXT": {"IN": ["MWST", "TVA", "IVA"]}, "OP": "?"}],
    ])
    matcher.add("IBAN", [
        [{"TEXT": {"REGEX": r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$"}}],
        [{"TEXT": {"REGEX": r"^[A-Z]{2}[0-9]{2}$"}}, {"TEXT": {"REGEX": r"^[A-Z0-9]{1,4}$"}, "OP": "+"}],
    ])
    matcher.add("BIC", [[{"TEXT": {"REGEX": r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$"}}]])
    matcher.add("EMAIL", [[{"LIKE_EMAIL": True}]])
    matcher.add("URL", [[{"LIKE_URL": True}]])
    return nlp, matcher


def find_entities(text: str) -> list[Entity]:
    """Every identifier in ``text`` (one phrase), longest valid reading first at each start."""
    if not _PREFILTER.search(text):
        return []
    nlp, matcher = _pipeline()
    doc = nlp.make_doc(text[:2000])
    spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for match_id, start, end in matcher(doc):
        kind = nlp.vocab.strings[match_id]
        spans.setdefault((kind, start), []).append((start, end))
    out: list[Entity] = []
    for (kind, _), options in spans.items():
        best = _best(kind, doc, options)
        if best is not None:
            out.append(best)
    out += _whole_vats(text, out)
    out.sort(key=lambda e: (e.start, -(e.end - e.start)))
    return _drop_nested(out)


def _whole_vats(text: str, found: list[Entity]) -> list[Entity]:
    """VAT ids printed as one word that the tokenizer cut apart ("IE8873122G": a trailing letter reads
    as a unit), kept only when their checksum holds."""
    out = []
    for m in _VAT_WORD.finditer(text):
        value = normalise_vat(m.group(0))
        if vat_valid(value) and not any(e.start <= m.start() < e.end and e.valid for e in found):
            out.append(Entity("VAT", m.start(), m.end(), value, True))
    return out


def _best(kind: str, doc: Any, options: list[tuple[int, int]]) -> Entity | None:
    fallback: Entity | None = None
    for start, end in sorted(options, key=lambda o: o[0] - o[1]):
        span = doc[start:end]
        raw = span.text
        if kind == "VAT":
            # The tokenizer cuts a unit-like letter off a number ("IE8873122G" → "IE8873122" "G"): the
            # characters glued to the span belong to it.
            glued = _GLUED.match(doc.text, span.end_char)
            if glued and vat_valid(normalise_vat(raw + glued.group(0))):
                raw += glued.group(0)
            value = normalise_vat(raw)
            ok = vat_valid(value)
            plausible = 8 <= len(value) <= 16 and sum(c.isdigit() for c in value) >= 7
        elif kind == "IBAN":
            value = normalise_iban(raw)
            ok = iban_valid(value)
            plausible = False  # an IBAN that fails its check digits is a misread, not an IBAN
        elif kind == "BIC":
            value, ok, plausible = raw, True, True
        else:
            value, ok, plausible = raw.strip(".,;"), True, True
        entity = Entity(kind, span.start_char, span.start_char + len(raw), value, ok)
        if ok:
            return entity
        if plausible and fallback is None:
            fallback = entity
    return fallback


def _drop_nested(entities: list[Entity]) -> list[Entity]:
    kept: list[Entity] = []
    for e in entities:
        if any(k.start <= e.start and e.end <= k.end and (k.valid or not e.valid) for k in kept):
            continue
        kept.append(e)
    return kept
