"""Label-anchored candidates: for every label on the page, the values it introduces, by position.

A value sits after its label in the same phrase (``Rechnungsnr. 30064443``), in the next phrase to the
right (``Invoice Number:      42183017``) or below it in the label's column (``Invoice Date:`` over
``03/20/2023``; a row of labels over a row of values). Each reading is a ``Candidate`` with the features
that score it; nothing is decided here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from extraction.fields.context import DocContext
from extraction.fields.labels import LabelHit
from extraction.fields.layout import Line, Phrase
from extraction.fields.values import FIELD_KIND, ValueSpan, read_values
from models.invoice import BBox
from models.text import Word

# How much each position is worth relative to a value right after its label.
_POSITION = {"inline": 1.0, "right": 0.95, "below": 0.85}
_MAX_BELOW_LINES = 4


@dataclass
class Candidate:
    field: str
    value: str
    score: float
    page: int
    bbox: BBox
    raw: str
    conf: float = 1.0  # the reader's confidence in the words (OCR), 1.0 for a text layer
    origin: str = "label"
    features: dict[str, float] = dataclasses.field(default_factory=dict)
    label_text: str = ""
    order: int = 0  # reading order on the document, for "the last total" rules
    y: float = 0.0


@dataclass(frozen=True)
class Segment:
    """Text in which a label's value is looked for, and where it lies."""

    phrase: Phrase
    start: int
    end: int
    position: str
    distance: int = 0


def label_candidates(ctx: DocContext) -> list[Candidate]:
    out: list[Candidate] = []
    for hit in ctx.label_hits():
        for fname in sorted(hit.fields):
            kind = FIELD_KIND.get(fname)
            if kind is None:
                continue
            out.extend(_from_hit(ctx, hit, fname, kind))
    return out


def _from_hit(ctx: DocContext, hit: LabelHit, fname: str, kind: str) -> list[Candidate]:
    weight = hit.weight(fname)
    out: list[Candidate] = []
    for seg in value_segments(ctx, hit):
        text = seg.phrase.text[seg.start:seg.end]
        spans = read_values(kind, text, ctx.read)
        if not spans:
            if seg.position == "inline" and _has_content(text) and kind in ("id", "date"):
                # Text right after the label that is not a value: the label is a heading or a sentence.
                weight *= 0.8
            continue
        chosen = _choose_span(kind, fname, spans)
        pos = _POSITION[seg.position] * (0.9 ** max(0, seg.distance - 1))
        out.append(_candidate(ctx, hit, fname, weight, pos, seg, chosen))
        if kind in ("amount", "id", "date") or seg.position != "inline":
            break
    return out


def _choose_span(kind: str, fname: str, spans: list[ValueSpan]) -> ValueSpan:
    if kind == "amount":
        # "Tax 15% on $ 112.90   $ 16.94", "Total EUR 34,73": the figure a label sums up is the last one.
        return spans[-1]
    return spans[0]


def _candidate(ctx: DocContext, hit: LabelHit, fname: str, weight: float, pos: float, seg: Segment,
               span: ValueSpan) -> Candidate:
    phrase = seg.phrase
    start, end = seg.start + span.start, seg.start + span.end
    page = ctx.layout.page(phrase.page)
    features = {
        "label_weight": weight,
        "position": pos,
        "quality": span.quality,
        "inline": float(seg.position == "inline"),
        "right": float(seg.position == "right"),
        "below": float(seg.position == "below"),
        "page_first": float(phrase.page == ctx.first_page),
        "page_last": float(phrase.page == ctx.last_page),
        "rel_y": phrase.y0 / max(1.0, page.height),
        "buyer_section": float(ctx.in_section(hit.phrase, "buyer")),
        "vendor_section": float(ctx.in_section(hit.phrase, "vendor")),
    }
    return Candidate(
        field=fname, value=span.value, score=weight * pos * span.quality, page=phrase.page,
        bbox=phrase.span_bbox(start, end), raw=span.raw, conf=phrase.span_conf(start, end),
        features=features, label_text=hit.text, order=ctx.order_of(phrase), y=phrase.y0,
    )


def value_segments(ctx: DocContext, hit: LabelHit) -> list[Segment]:
    """Where the value of ``hit`` may be: after it in its phrase, the phrase to its right, below it."""
    phrase = hit.phrase
    segs: list[Segment] = []
    hits = ctx.hits_in(phrase)
    after = [h for h in hits if h.start >= hit.end]
    inline_end = after[0].start if after else len(phrase.text)
    if _has_content(phrase.text[hit.end:inline_end]):
        segs.append(Segment(phrase, hit.end, inline_end, "inline"))
    if not after:
        right = ctx.right_of(phrase)
        if right is not None:
            right_hits = ctx.hits_in(right)
            end = right_hits[0].start if right_hits else len(right.text)
            if end > 0 and _has_content(right.text[:end]):
                segs.append(Segment(right, 0, end, "right"))
        segs.extend(_below(ctx, hit))
    return segs


def _below(ctx: DocContext, hit: LabelHit) -> list[Segment]:
    line = ctx.line_of(hit.phrase)
    x0, x1 = hit.x0, hit.x1
    out: list[Segment] = []
    for distance, below in enumerate(ctx.lines_below(line, _MAX_BELOW_LINES), start=1):
        if below.y0 - line.y1 > 4.5 * max(line.height, 1.0):
            break
        owned = _owned_words(ctx, line, hit, below, x0, x1)
        if owned is None:
            continue
        phrase, first, last = owned
        sub = phrase.sub(first, last)
        if ctx.hits_in(sub) and ctx.hits_in(sub)[0].start == 0:
            # The next line in this column is another label: the column has no value for this one.
            break
        out.append(Segment(sub, 0, len(sub.text), "below", distance))
    return out


def _owned_words(ctx: DocContext, line: Line, hit: LabelHit, below: Line, x0: float,
                 x1: float) -> tuple[Phrase, int, int] | None:
    """The words of ``below`` that sit in the label's column, as a run inside one phrase."""
    columns = [(p, p.x0, p.x1) for p in line.phrases]
    for phrase in below.phrases:
        idx = [i for i, w in enumerate(phrase.words)
               if _overlap(w, x0, x1) > 0 and _owner(w, columns) is hit.phrase]
        if idx:
            first, last = idx[0], idx[-1]
            # Extend to neighbours in the same phrase that no other column claims.
            while first > 0 and _owner(phrase.words[first - 1], columns) is hit.phrase:
                first -= 1
            while last + 1 < len(phrase.words) and _owner(phrase.words[last + 1], columns) is hit.phrase:
                last += 1
            return phrase, first, last
    return None


def _owner(w: Word, columns: list[tuple[Phrase, float, float]]) -> Phrase | None:
    best, best_score = None, float("-inf")
    for phrase, c0, c1 in columns:
        ov = min(w.x1, c1) - max(w.x0, c0)
        score = ov if ov > 0 else -min(abs(w.cx - c0), abs(w.cx - c1), abs(w.cx - (c0 + c1) / 2))
        if score > best_score:
            best, best_score = phrase, score
    return best


def _overlap(w: Word, x0: float, x1: float) -> float:
    slack = (w.y1 - w.y0) * 2
    return min(w.x1, x1 + slack) - max(w.x0, x0 - slack)


def _has_content(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
