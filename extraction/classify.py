"""What a document is (invoice, credit note, statement, reminder, other) and where a batch splits.

The type comes from the words that name it, in six languages, weighted by where they stand: a title at
the top of the first page says more than a sentence in the small print. A scanner batch splits where a
page starts a new invoice: its own page numbering restarts ("Page 1 of 2"), or it carries a different
invoice number from the pages before.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from extraction.api import Segment
from extraction.fields.candidates import label_candidates
from extraction.fields.context import DocContext
from extraction.fields.layout import Layout, build_layout
from extraction.normalise.text import fold
from models.identifiers import normalise_ref
from models.invoice import DocumentType
from models.text import PageText

_TERMS: dict[DocumentType, tuple[str, ...]] = {
    DocumentType.CREDIT_NOTE: (
        "credit note", "credit memo", "gutschrift", "gutschriftsanzeige", "rechnungskorrektur", "stornorechnung",
        "avoir", "facture d avoir", "note de credit", "nota de credito", "factura rectificativa", "abono",
        "creditnota", "creditfactuur", "nota di credito", "nota credito",
    ),
    DocumentType.STATEMENT: (
        "statement of account", "account statement", "kontoauszug", "kontoauszuge", "saldenbestatigung",
        "offene posten", "releve de compte", "releve de factures", "estado de cuenta", "extracto de cuenta",
        "rekeningoverzicht", "rekeningafschrift", "estratto conto", "open items",
    ),
    DocumentType.REMINDER: (
        "payment reminder", "reminder", "final notice", "overdue notice", "mahnung", "zahlungserinnerung",
        "letzte mahnung", "relance", "rappel de paiement", "lettre de relance", "recordatorio de pago",
        "requerimiento de pago", "betalingsherinnering", "herinnering", "aanmaning", "sollecito di pagamento",
        "sollecito",
    ),
    DocumentType.INVOICE: (
        "invoice", "tax invoice", "rechnung", "handelsrechnung", "abschlagsrechnung", "schlussrechnung",
        "teilrechnung", "facture", "factura", "factuur", "fattura", "receipt", "quittung", "kassenbon",
        "bill", "recu", "ricevuta", "bon",
        # The invoice's own labels, written as one word in German and Dutch.
        "rechnungsnummer", "rechnungsdatum", "rechnungsbetrag", "factuurnummer", "factuurdatum", "factuurbedrag",
    ),
    DocumentType.OTHER: (
        "order confirmation", "auftragsbestatigung", "bestellung", "purchase order", "delivery note",
        "lieferschein", "packing slip", "quotation", "angebot", "offerte", "devis", "presupuesto", "preventivo",
        "bon de commande", "bon de livraison", "pakbon", "albaran", "documento di trasporto", "proforma",
        "pro forma", "newsletter", "terms and conditions", "allgemeine geschaftsbedingungen",
    ),
}
_PATTERNS = {kind: re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\b")
             for kind, terms in _TERMS.items()}
# Three or more runs of one to four letters separated by single spaces, at least one run a single letter.
_SPACED = re.compile(r"\b(?=(?:[a-z]{1,4} ){2,}[a-z]{1,4}\b)(?=[a-z ]*\b[a-z]\b)(?:[a-z]{1,4} ){2,}[a-z]{1,4}\b")
_PAGE_MARK = re.compile(
    r"\b(?:page|seite|pagina|página|pag|blatt|p)\.?\s*:?\s*(\d{1,3})\s*(?:/|of|von|de|sur|di|van)\s*(\d{1,3})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Classification:
    document_type: str
    confidence: float
    evidence: str


def classify(layout: Layout) -> Classification:
    """The document's type with how sure the words make us, and the words that decided it."""
    votes: dict[DocumentType, float] = defaultdict(float)
    evidence: dict[DocumentType, str] = {}
    for page in layout.pages[:3]:
        for line in page.lines:
            text = _closed_up(fold(line.text).replace("-", " "))
            top = line.y0 < 0.35 * page.height and page.number == layout.pages[0].number
            big = line.height > 13
            for kind, pattern in _PATTERNS.items():
                for m in pattern.finditer(text):
                    weight = 1.0 + (2.0 if top else 0.0) + (1.5 if big else 0.0)
                    if kind is DocumentType.INVOICE and m.group(1) in {"bill", "bon", "receipt", "recu"}:
                        weight *= 0.4
                    votes[kind] += weight
                    evidence.setdefault(kind, m.group(1))
    if not votes:
        return Classification(DocumentType.OTHER.value, 0.3, "")
    # A credit note, reminder or statement names itself and *also* says "invoice" (the one it refers to):
    # the more specific word wins when it is at least a third as loud.
    invoice = votes.get(DocumentType.INVOICE, 0.0)
    for kind in (DocumentType.CREDIT_NOTE, DocumentType.REMINDER, DocumentType.STATEMENT):
        if votes.get(kind, 0.0) >= max(2.0, invoice / 3):
            return Classification(kind.value, _confidence(votes, kind), evidence[kind])
    kind = max(votes, key=lambda k: votes[k])
    if kind is DocumentType.OTHER and invoice >= votes[kind] / 2:
        kind = DocumentType.INVOICE
    return Classification(kind.value, _confidence(votes, kind), evidence.get(kind, ""))


def _closed_up(text: str) -> str:
    """Titles set letter-spaced ("F A C T U U R", read by OCR as "FACT U U R" or "FA C TUUR") closed up,
    so they meet their word."""
    return _SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)


def _confidence(votes: dict[DocumentType, float], kind: DocumentType) -> float:
    total = sum(votes.values())
    return round(min(0.98, 0.5 + 0.5 * votes[kind] / total), 3)


def segment(pages: list[PageText]) -> list[Segment]:
    """Where a scanned batch splits into invoices; one segment (the whole document) when it does not."""
    if len(pages) < 2:
        return [Segment(pages[0].number if pages else 1, pages[-1].number if pages else 1)]
    starts: list[int] = [0]
    numbers = [_invoice_number(p) for p in pages]
    marks = [_page_mark(p) for p in pages]
    current = numbers[0]
    for i in range(1, len(pages)):
        mark, prev_mark = marks[i], marks[i - 1]
        restarts = mark is not None and mark[0] == 1 and (prev_mark is None or prev_mark[0] >= 1)
        continues = mark is not None and mark[0] > 1
        new_number = numbers[i] is not None and current is not None and numbers[i] != current
        if (restarts or new_number) and not (continues and not new_number):
            starts.append(i)
            current = numbers[i]
        elif current is None:
            current = numbers[i]
    segments = []
    for k, start in enumerate(starts):
        end = starts[k + 1] - 1 if k + 1 < len(starts) else len(pages) - 1
        layout = build_layout(pages[start:end + 1])
        segments.append(Segment(pages[start].number, pages[end].number, classify(layout).document_type))
    return segments


def _page_mark(page: PageText) -> tuple[int, int] | None:
    text = " ".join(w.text for w in page.words)
    m = _PAGE_MARK.search(text)
    if m is None:
        return None
    current, total = int(m.group(1)), int(m.group(2))
    return (current, total) if 1 <= current <= total else None


def _invoice_number(page: PageText) -> str | None:
    ctx = DocContext(build_layout([page]))
    best = max((c for c in label_candidates(ctx) if c.field == "invoice_number" and c.score >= 0.4),
               key=lambda c: c.score, default=None)
    return normalise_ref(best.value) if best else None
