"""Vendor names and addresses reduced to what identifies the business.

"Müller Medizintechnik GmbH & Co. KG", "MUELLER MEDIZINTECHNIK" and "Muller Medizintechnik Gmbh" must
compare equal: case, accents, punctuation and the legal form carry no identity. Dots inside legal forms
are dropped before splitting so that "S.p.A." and "B.V." become the tokens "spa" and "bv".
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import DamerauLevenshtein

# Legal forms and their usual spellings once dots are gone, across the vendor countries we see
# (DE/AT/CH, UK/IE, US, FR/BE/LU, NL, IT, ES/PT, Nordics, PL/CZ, MY/SG as in public receipts).
LEGAL_FORMS: frozenset[str] = frozenset({
    "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "gbr", "ug", "ek", "ev", "se", "co", "cie", "und", "and",
    "ltd", "limited", "plc", "llp", "lp", "llc", "inc", "incorporated", "corp", "corporation", "company",
    "sarl", "sas", "sasu", "sa", "sca", "snc", "eurl", "sprl", "srl", "bvba", "nv", "bv", "vof", "cv",
    "spa", "sapa", "scarl", "srls", "sl", "slu", "sll", "lda", "ab", "as", "asa", "aps", "oy", "oyj",
    "sp", "zoo", "spzoo", "sro", "kft", "zrt", "doo", "sdn", "bhd", "pte", "pty", "gesmbh", "et", "y",
})
# Legal forms printed as several tokens ("Sp. z o.o.", "S A R L", "GmbH & Co. KG"), recognised at the
# end of a name by their tokens joined.
_JOINED_FORMS = LEGAL_FORMS | {"spzoo", "sarl", "spa", "srl", "sas", "sro", "gmbhcokg", "gmbhco", "sapa", "scarl",
                               "bv", "nv", "sa", "sl", "ek", "ag", "kg", "ltd", "plc"}
# Words that describe a trade rather than name a business, in our vendors' languages: however rare
# they are in one vendor master, "Facility Services" tells "Heleron" from "Beloheim" no better than
# "GmbH" does.
_GENERIC_TEXT = """
services service facility facilities medical medizintechnik medizin medizinische medicale medicaux medico medica
medische supplies supply suministros forniture fournitures bedarf handel trading trade group gruppe groupe gruppo
grupo holding holdings international internationale europe european euro global solutions solution systems system
technology technologies technik technique tecnologia techniek pharma pharmaceuticals pharmaceutical pharmazie
pharmacie farmaceutici farmaceutica healthcare health care gesundheit sante salud salute gezondheid diagnostics
diagnostica diagnostik diagnostic laboratory laboratories laboratoires laboratorio labor laborbedarf labs lab
dental dentaire dentale dentalhandel surgical chirurgie chirurgical chirurgica instruments instrumente products
produkte produits prodotti productos producten equipment ausrustung distribution vertrieb logistics logistik
logistique logistica consulting beratung industries industrie industrial company companies partners partner
clinical klinik clinique clinica klinikbedarf hospital krankenhaus hopital ospedale hospitalario ziekenhuis
scientific science sciences life biotech biotechnology reagents reagenzien cleaning reinigung gebaudereinigung
nettoyage limpieza pulizie schoonmaak hygiene hygienetechnik office buro burobedarf bureau software informatique
informatik it solutions textiles textil catering energy energie security sicherheit waste management
"""
# Legal forms recognised even misspelt or misread at a name's end ("GmH", "SRAL", "Limietd"): only
# those no ordinary word is one slip away from ("corp" would eat the city of Cork).
_FUZZY_FORMS = ("gmbh", "sarl", "bvba", "gesmbh", "kgaa", "spzoo", "limited", "incorporated", "corporation")
_TRANSLIT = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l", "þ": "th"})
_SPELLED_UMLAUT = re.compile(r"(?<=[aou])e")
# Characters OCR confuses, folded to one form on both sides of a comparison ("GM8H", "Supp1ies").
_OCR_FOLD = str.maketrans({"0": "o", "1": "l", "5": "s", "8": "b", "|": "l"})
_OCR_PAIRS = (("rn", "m"),)
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
    # A misspelt or misread legal form at the end ("GmH", "SRAL", "GM8H") is dropped too.
    while len(kept) > 1 and _looks_like_legal_form(kept[-1]):
        kept.pop()
    return kept or tokens


def _looks_like_legal_form(token: str) -> bool:
    folded = _ocr_fold(token)
    if folded in LEGAL_FORMS:
        return True
    return any(DamerauLevenshtein.distance(folded, form) <= 1 for form in _FUZZY_FORMS)


def _drop_phrases(tokens: list[str]) -> list[str]:
    out = list(tokens)
    changed = True
    while changed and len(out) > 1:
        changed = False
        for k in (4, 3, 2):
            # Only as the name's tail: "S A Medical" keeps its initials, "Medical S A" drops them.
            if len(out) > k and "".join(out[-k:]) in _JOINED_FORMS:
                del out[-k:]
                changed = True
                break
    return out


def legal_form(name: str | None) -> str:
    """The legal form a name ends with, normalised ("GmbH & Co. KG" → "gmbhcokg", "S.p.A." → "spa"),
    or "" when it has none: two records with the same words but different forms are different firms."""
    if not name:
        return ""
    text = re.sub(r"\b([a-z])\.", r"\1", fold(name).replace("&", " "))
    tokens = [t for t in _NON_WORD.split(text) if t]
    kept = name_tokens(name)
    # The tail after the last identifying word.
    for i in range(len(tokens), 0, -1):
        if tokens[i - 1] == (kept[-1] if kept else None):
            return "".join(tokens[i:]).translate(_OCR_FOLD)
    return ""


def normalise_name(name: str | None) -> str:
    """``"Laboratoires Dupont S.A.R.L."`` → ``"laboratoires dupont"``."""
    return " ".join(name_tokens(name))


def match_key(name: str | None) -> str:
    """The key names are compared on: normalised, with spelled-out umlauts folded ("mueller" → "muller")
    so that "Müller", "Mueller" and "Muller" meet, and OCR's digit-for-letter slips folded the same way
    ("Supp1ies" → "supplies"). Applied to both sides, so the folds cost nothing on names without them."""
    return _SPELLED_UMLAUT.sub("", _ocr_fold(normalise_name(name)))


def plain_key(name: str | None) -> str:
    """The match key without the two-letter OCR fold ("rn" → "m"): a typo can create an "rn" too
    ("Torino" → "Torno"), so names are scored on both keys and the better is kept."""
    return _SPELLED_UMLAUT.sub("", normalise_name(name).translate(_OCR_FOLD))


def _ocr_fold(text: str) -> str:
    text = text.translate(_OCR_FOLD)
    for seen, meant in _OCR_PAIRS:
        text = text.replace(seen, meant)
    return text


def normalise_address(address: str | None) -> str:
    if not address:
        return ""
    return " ".join(t for t in _NON_WORD.split(fold(address)) if t)


def postcode_tokens(address: str | None) -> set[str]:
    """Digit-bearing tokens of an address (postcodes, house numbers): cheap, discriminating evidence."""
    return {t for t in normalise_address(address).split() if any(c.isdigit() for c in t)}


# In the form names are compared in (folded like every match key).
GENERIC_WORDS: frozenset[str] = frozenset(match_key(w) for w in _GENERIC_TEXT.split())
