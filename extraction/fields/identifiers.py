"""The vendor's VAT id and bank account: found by shape anywhere, then told apart from the buyer's.

Invoices print several VAT ids (the vendor's, the buyer's, a tax representative's) and sometimes a
payee's account. The vendor's is the one under a VAT label outside the buyer's block, passing its
checksum, often printed twice (letterhead and footer); "your VAT number" is the buyer's.
"""

from __future__ import annotations

from extraction.fields.candidates import Candidate
from extraction.fields.context import DocContext
from extraction.fields.entities import Entity, find_entities
from extraction.fields.layout import Phrase
from extraction.fields.lexicon import BUYER_MARKERS
from extraction.normalise.text import fold

_KIND_FIELD = {"VAT": "vendor_vat", "IBAN": "vendor_iban", "BIC": "vendor_bic"}
_LABEL_FIELDS = {"vendor_vat": "vendor_vat", "vendor_iban": "vendor_iban", "vendor_bic": "vendor_bic"}


def identifier_candidates(ctx: DocContext) -> list[Candidate]:
    out: list[Candidate] = []
    for phrase in ctx.phrases:
        for entity in ctx.entities(phrase):
            fname = _KIND_FIELD.get(entity.kind)
            if fname is None:
                continue
            out.append(_candidate(ctx, phrase, entity, fname))
    out += _spread_ibans(ctx, {c.value for c in out if c.field == "vendor_iban"})
    return out


def _spread_ibans(ctx: DocContext, found: set[str]) -> list[Candidate]:
    """IBANs whose groups were set (or read by OCR) so far apart that they fell into separate phrases
    ("IBAN: | DE61 | 7002 0270 5214 4862 43"): looked for across each line, kept only when the checksum
    holds."""
    out: list[Candidate] = []
    for line in ctx.layout.lines():
        if len(line.phrases) < 2:
            continue
        whole = Phrase(line.page, line.number, list(line.words), ocr=line.phrases[0].ocr)
        for entity in find_entities(whole.text):
            if entity.kind != "IBAN" or not entity.valid or entity.value in found:
                continue
            first = whole.words[whole.word_index(entity.start)]
            anchor = next((p for p in line.phrases if any(w is first for w in p.words)), line.phrases[0])
            out.append(_candidate(ctx, whole, entity, "vendor_iban", anchor=anchor))
            found.add(entity.value)
    return out


def _candidate(ctx: DocContext, phrase: Phrase, entity: Entity, fname: str, *,
               anchor: Phrase | None = None) -> Candidate:
    """``anchor``: the layout's phrase where ``phrase`` (a stretch of a line) starts, for its place."""
    anchor = anchor or phrase
    labelled = _labelled(ctx, phrase, entity, fname, anchor)
    section = ctx.section_of(anchor)
    buyer = (section is not None and section.kind == "buyer") or _buyer_marker(phrase, entity)
    vendor = section is not None and section.kind == "vendor"
    score = 0.35 + (0.15 if entity.valid else 0.0) + (0.3 if labelled else 0.0) + (0.1 if vendor else 0.0)
    if fname == "vendor_bic" and not labelled:
        score *= 0.5  # eight capitals are a BIC only when a label says so
    if buyer:
        score *= 0.3
    features = {"labelled": float(labelled), "valid": float(entity.valid), "buyer_section": float(buyer),
                "vendor_section": float(vendor), "page_first": float(phrase.page == ctx.first_page),
                "rel_y": phrase.y0 / max(1.0, ctx.layout.page(phrase.page).height)}
    return Candidate(field=fname, value=entity.value, score=score, page=phrase.page,
                     bbox=phrase.span_bbox(entity.start, entity.end), raw=phrase.text[entity.start:entity.end],
                     conf=phrase.span_conf(entity.start, entity.end), origin="pattern", features=features,
                     order=ctx.order_of(anchor), y=phrase.y0)


def _labelled(ctx: DocContext, phrase: Phrase, entity: Entity, fname: str, anchor: Phrase) -> bool:
    for hit in ctx.hits_in(phrase):
        if hit.end <= entity.start and fname in hit.fields:
            return True
    line = ctx.line_of(anchor)
    idx = next((i for i, p in enumerate(line.phrases) if p is anchor), 0)
    if idx > 0:
        left = line.phrases[idx - 1]
        hits = ctx.hits_in(left)
        if hits and fname in hits[-1].fields:
            return True
    return False


def _buyer_marker(phrase: Phrase, entity: Entity) -> bool:
    before = fold(phrase.text[:entity.start]).replace(":", " ").split()[-4:]
    return any(w.strip(".") in BUYER_MARKERS for w in before)
