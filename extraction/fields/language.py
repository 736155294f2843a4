"""The document's language, from its most common short words and the language of its labels."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# Words frequent on invoices of one language and rare in the others.
_MARKERS: dict[str, frozenset[str]] = {
    "en": frozenset([
        "the", "and", "of", "to", "for", "invoice", "total", "date", "due", "amount", "please", "payment",
        "your", "our", "with", "this", "is", "tax", "bill", "order", "number",
    ]),
    "de": frozenset([
        "und", "der", "die", "das", "rechnung", "bitte", "betrag", "datum", "zahlbar", "nicht", "mit", "den",
        "von", "für", "ihre", "wir", "summe", "gesamt", "netto", "brutto", "mwst", "ust", "zahlung",
    ]),
    "fr": frozenset([
        "le", "la", "les", "des", "du", "et", "facture", "montant", "pour", "votre", "paiement", "nous", "avec",
        "est", "tva", "total", "date", "échéance", "ttc", "ht",
    ]),
    "es": frozenset([
        "el", "la", "los", "las", "del", "y", "factura", "importe", "para", "su", "pago", "con", "fecha", "iva",
        "total", "base", "vencimiento",
    ]),
    "nl": frozenset([
        "de", "het", "een", "en", "van", "factuur", "bedrag", "voor", "uw", "betaling", "met", "datum", "btw",
        "totaal", "te", "betalen", "niet",
    ]),
    "it": frozenset([
        "il", "la", "di", "e", "per", "fattura", "importo", "data", "pagamento", "con", "totale", "iva",
        "vostro", "del", "della", "scadenza",
    ]),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(texts: Iterable[str], label_langs: Iterable[str] = ()) -> str | None:
    votes: Counter[str] = Counter()
    for text in texts:
        for word in _WORD.findall(text.lower()):
            for lang, words in _MARKERS.items():
                if word in words:
                    votes[lang] += 1
    for lang in label_langs:
        votes[lang] += 2
    if not votes:
        return None
    lang, count = votes.most_common(1)[0]
    return lang if count >= 2 else None
