"""Vendor names and addresses reduced to what identifies the business.

"Müller Medizintechnik GmbH & Co. KG", "MUELLER MEDIZINTECHNIK" and "Muller Medizintechnik Gmbh" must
compare equal: case, accents, punctuation and the legal form carry no identity. Dots inside legal forms
are dropped before splitting so that "S.p.A." and "B.V." become the tokens "spa" and "bv".
"""

from __future__ import annotations

import re
import unicodedata

# Legal forms and their usual spellings once dots are gone, across the vendor countries we see
# (DE/AT/CH, UK/IE, US, FR/BE/LU, NL, IT, ES/PT, Nordics, PL/CZ, MY/SG as in public receipts).
LEGAL_FORMS: frozenset[str] = frozenset({
    "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "gbr", "ug", "ek", "ev", "se", "co", "cie", "und", "and",
    "ltd", "limited", "plc", "llp", "lp", "llc", "inc", "incorporated", "corp", "corporation", "company",
    "sarl", "sas", "sasu", "sa", "sca", "snc", "eurl", "sprl", "srl", "bvba", "nv", "bv", "vof", "cv",
    "spa", "sapa", "scarl", "srls", "sl", "slu", "sll", "lda", "ab", "as", "asa", "aps", "oy", "oyj",
    "sp", "zoo", "spzoo", "sro", "kft", "zrt", "doo", "sdn", "bhd", "pte", "pty", "gesmbh", "et", "y",
})
# Multi-token legal forms whose pieces are too common to drop one by one ("s a" alone could be initials).
_PHRASES = (
    ("s", "a", "s"), ("s", "a", "r", "l"), ("s", "p", "a"), ("s", "r", "l"), ("b", "v"), ("n", "v"),
    ("s", "a"), ("s", "l"), ("sp", "z", "o", "o"), ("s", "r", "o"), ("e", "k"),
)
_TRANSLIT = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l", "þ": "th"})
_SPELLED_UMLAUT = re.compile(r"(?<=[aou])e")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, German/Nordic letters spelled out, accents removed: "Müller" → "muller"."""
    lowered = text.lower().translate(_TRANSLIT)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_tokens(name: str | None) -> list[str]:
    """The identifying words of a company name, in their printed order."""
    if not name:
        return []
    text = fold(name).replace("&", " ")
    # "S.p.A." → "spa", "B.V." → "bv": dots between single letters join them.
    text = re.sub(r"\b([a-z])\.(?=[a-z]\b\.?)", r"\1", text)
    text = re.sub(r"\b([a-z])\.", r"\1", text)
    tokens = [t for t in _NON_WORD.split(text) if t]
    tokens = _drop_phrases(tokens)
    kept = [t for t in tokens if t not in LEGAL_FORMS]
    return kept or tokens


def _drop_phrases(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for phrase in _PHRASES:
            n = len(phrase)
            # Only as the name's tail: "S A Medical" keeps its initials, "Medical S A" drops them.
            if tuple(tokens[i:i + n]) == phrase and i + n == len(tokens) and i > 0:
                i = len(tokens)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def normalise_name(name: str | None) -> str:
    """``"Laboratoires Dupont S.A.R.L."`` → ``"laboratoires dupont"``."""
    return " ".join(name_tokens(name))


def match_key(name: str | None) -> str:
    """The key names are compared on: normalised, with spelled-out umlauts folded ("mueller" → "muller")
    so that "Müller", "Mueller" and "Muller" meet. Applied to both sides, so other "ue"s cost nothing."""
    return _SPELLED_UMLAUT.sub("", normalise_name(name))


def normalise_address(address: str | None) -> str:
    if not address:
        return ""
    return " ".join(t for t in _NON_WORD.split(fold(address)) if t)


def postcode_tokens(address: str | None) -> set[str]:
    """Digit-bearing tokens of an address (postcodes, house numbers): cheap, discriminating evidence."""
    return {t for t in normalise_address(address).split() if any(c.isdigit() for c in t)}
