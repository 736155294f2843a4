"""Label-anchored candidates: for every label on the page, the values it introduces, by position.

A value sits after its label in the same phrase (``Rechnungsnr. 30064443``), in the next phrase to the
right (``Invoice Number:      42183017``) or below it in the label's column (``Invoice Date:`` over
``03/20/2023``; a row of labels over a row of values). Each reading is a ``Candidate`` with the features
that score it; nothing is decided here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from extraction.fields.context import DocContext
from extraction.fields.labels import LabelHit
from extraction.fields.layout import Line, Phrase
from extraction.fields.values import FIELD_KIND, ValueSpan, read_values
from models.invoice import BBox
from models.text import Word

# How much each position is worth relative to a value right after its label.
_POSITION = {"inline": 1.0, "right": 0.95, "below": 0.85}
_MAX_BELOW_LINES = 4
_MAX_RIGHT = 4
# A label inside another label's value (a reference line quoting numbers) counts this much.
_NESTED = 0.6
# Labels that qualify the one before them ("Rechnungssumme Netto (exkl. USt.)") and end nothing.
_QUALIFIERS = frozenset({"other:qualifier"})
_CENT = Decimal("0.01")
# Phrases before a label's own within this many line heights still count as what precedes it.
_BEFORE_GAP = 4.0
# Words before a label in its own phrase that make the phrase a sentence rather than a label.
_PROSE_WORDS = 3


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
    line_text: str = ""  # the whole line the value stands on
    before_label: str = ""  # the label's phrase up to the label ("Handelsrechnung (380)" before "Nr.")


@dataclass(frozen=True)
class Segment:
    """Text in which a label's value is looked for, and where it lies."""

    phrase: Phrase
    start: int
    end: int
    position: str
    distance: int = 0


def label_candidates(ctx: DocContext, only: frozenset[str] | None = None) -> list[Candidate]:
    """Every labelled value; with ``only``, of those fields alone."""
    out: list[Candidate] = []
    for hit in ctx.label_hits():
        for fname in sorted(hit.fields):
            kind = FIELD_KIND.get(fname)
            if kind is None or (only is not None and fname not in only):
                continue
            out.extend(_from_hit(ctx, hit, fname, kind))
    return out


def _from_hit(ctx: DocContext, hit: LabelHit, fname: str, kind: str) -> list[Candidate]:
    if ctx.is_table_header(hit.phrase):
        return []  # a column title of the line-item table, not a label of a header field
    weight = hit.weight(fname) * (_NESTED if _nested(ctx, hit) else 1.0)
    out: list[Candidate] = []
    below: list[tuple[Segment, ValueSpan]] = []
    right: list[tuple[Segment, ValueSpan]] = []
    for seg in value_segments(ctx, hit):
        if seg.position == "right" and seg.distance and kind not in ("amount", "currency"):
            continue  # an id or date far across the page belongs to another column's label
        text = seg.phrase.text[seg.start:seg.end]
        spans = read_values(kind, text, ctx.read)
        if not spans:
            if seg.position == "inline" and _has_content(text) and kind in ("id", "date"):
                # Text right after the label that is not a value: the label is a heading or a sentence.
                weight *= 0.8
            continue
        chosen = _choose_span(kind, fname, spans)
        if fname == "po_number" and len(spans) > 1 and seg.position != "below":
            # An invoice for several orders lists them: each is a candidate of its own.
            out.extend(_candidate(ctx, hit, fname, weight * 0.98, _POSITION[seg.position], seg, s)
                       for s in spans[1:])
        if seg.position == "below":
            below.append((seg, chosen))
            if kind != "amount":
                break
            continue
        if seg.position == "right" and kind == "amount":
            right.append((seg, chosen))
            continue
        pos = _POSITION[seg.position]
        if kind == "amount" and seg.position == "inline" and len(spans) > 1:
            pos *= 0.8  # "Tax 15% on $ 112.90": the figure in the label's own phrase may be its base
        out.append(_candidate(ctx, hit, fname, weight, pos, seg, chosen))
        if kind != "amount" or seg.position != "inline":
            break
    if right:
        # "Steuerbasisbetrag USt. 7%   275,00   19,25": the label's figure is the last on its line.
        seg, chosen = right[-1]
        if out:
            out[0].score *= 0.85  # a separate figure to the right is the value more often than one inline
        out.append(_candidate(ctx, hit, fname, weight, _POSITION["right"], seg, chosen))
    if below and not out:
        out.append(_below_candidate(ctx, hit, fname, weight, below))
    return out


def _below_candidate(ctx: DocContext, hit: LabelHit, fname: str, weight: float,
                     below: list[tuple[Segment, ValueSpan]]) -> Candidate:
    """The first value under the label; or, in a column of figures, the last when it sums the others
    (a tax breakdown with one row per rate and a total row)."""
    seg, span = below[0]
    if len(below) >= 3:
        values = [_decimal(v.value) for _, v in below]
        if all(v is not None for v in values):
            *parts, last = values
            if last is not None and abs(sum(p for p in parts if p is not None) - last) < _CENT:
                seg, span = below[-1]
    pos = _POSITION["below"] * (0.9 ** max(0, seg.distance - 1))
    return _candidate(ctx, hit, fname, weight, pos, seg, span)


def _nested(ctx: DocContext, hit: LabelHit) -> bool:
    """``Zahlungsreferenz: | Kundennummer: 888 Rechnungsnummer: 606``: labels inside another label's value."""
    line = ctx.line_of(hit.phrase)
    idx = next((i for i, p in enumerate(line.phrases) if p is hit.phrase), 0)
    if idx == 0:
        return False
    left = line.phrases[idx - 1]
    left_hits = ctx.hits_in(left)
    if not left_hits or _has_content(left.text[left_hits[-1].end:]):
        return False
    return _has_content(hit.phrase.text[hit.end:])


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except ArithmeticError:
        return None


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
        line_text=ctx.line_of(phrase).text if id(phrase) in ctx.known_phrases else phrase.text,
        before_label=_before_label(ctx, hit),
    )


def _before_label(ctx: DocContext, hit: LabelHit) -> str:
    """The line up to the label: OCR often splits "Handelsrechnung (380)  Nr. 471102" into two phrases."""
    own = hit.phrase.text[:hit.start]
    line = ctx.known_phrases.get(id(hit.phrase))
    if line is None:
        return own
    # Only phrases set close before it: one a column away is another label's ("Fecha de factura").
    reach = _BEFORE_GAP * max(line.height, 1.0)
    earlier: list[str] = []
    edge = hit.phrase.x0
    for p in reversed([p for p in line.phrases if p.x1 <= hit.phrase.x0]):
        if edge - p.x1 > reach:
            break
        earlier.insert(0, p.text)
        edge = p.x0
    return " ".join([*earlier, own]).strip() if earlier else own


def value_segments(ctx: DocContext, hit: LabelHit) -> list[Segment]:
    """Where the value of ``hit`` may be: after it in its phrase, the phrase to its right, below it."""
    phrase = hit.phrase
    segs: list[Segment] = []
    hits = [h for h in ctx.hits_in(phrase) if not h.fields <= _QUALIFIERS]
    after = [h for h in hits if h.start >= hit.end]
    before = [h for h in hits if h.end <= hit.start]
    inline_end = after[0].start if after else len(phrase.text)
    inline = _has_content(phrase.text[hit.end:inline_end])
    if inline:
        segs.append(Segment(phrase, hit.end, inline_end, "inline"))
    elif _ends_a_sentence(phrase, hit):
        # "Pagamento a 30 giorni data fattura.": words naming a field at the end of a sentence label
        # nothing to their right or below.
        return segs
    elif before and not _has_content(phrase.text[before[-1].end:hit.start]):
        # "Total After Adj Incl GST": a label word inside a longer label; the first one owns the value
        # to the right. Titles of two columns set close together ("Grondslag BTW bedrag") still each
        # own what is printed under them.
        return _below(ctx, hit)
    if not after or not any(_has_content(phrase.text[h.end:]) for h in after):
        # Phrases to the right, until one starts with a label of its own (the next column's).
        left, width = phrase, ctx.layout.page(phrase.page).width
        for _ in range(_MAX_RIGHT):
            right = ctx.right_of(left)
            if right is None:
                break
            right_hits = ctx.hits_in(right)
            end = right_hits[0].start if right_hits else len(right.text)
            if end > 0 and _has_content(right.text[:end]):
                far = right.x0 - phrase.x1 > 0.45 * width
                segs.append(Segment(right, 0, end, "right", 2 if far else 0))
            if end < len(right.text):
                break
            left = right
        segs.extend(_below(ctx, hit))
    return segs


def _ends_a_sentence(phrase: Phrase, hit: LabelHit) -> bool:
    return phrase.text[hit.end:].strip() == "." and len(phrase.text[:hit.start].split()) >= _PROSE_WORDS


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
        if first == 0 and _labelled_from_left(ctx, below, phrase):
            # "Rechnungsdatum   12.06.2025" under a title: the figure is its own label's, to its left.
            break
        out.append(Segment(sub, 0, len(sub.text), "below", distance))
    return out


def _labelled_from_left(ctx: DocContext, line: Line, phrase: Phrase) -> bool:
    """Whether the phrase to the left of ``phrase`` on its line is a label and nothing else (a sentence
    that happens to end in a label word is not)."""
    idx = next((i for i, p in enumerate(line.phrases) if p is phrase), 0)
    if idx == 0:
        return False
    left = line.phrases[idx - 1]
    hits = [h for h in ctx.hits_in(left) if not h.fields <= _QUALIFIERS]
    return bool(hits) and not _has_content(left.text[:hits[0].start]) and not _has_content(left.text[hits[-1].end:])


def _owned_words(ctx: DocContext, line: Line, hit: LabelHit, below: Line, x0: float,
                 x1: float) -> tuple[Phrase, int, int] | None:
    """The words of ``below`` that sit in the label's column, as a run inside one phrase."""
    columns = _column_units(ctx, line)
    mine = next(i for i, (h, _, _) in enumerate(columns) if h is hit or h is hit.phrase)
    for phrase in below.phrases:
        idx = [i for i, w in enumerate(phrase.words) if _overlap(w, x0, x1) > 0 and _owner(w, columns) == mine]
        if idx:
            first, last = idx[0], idx[-1]
            # Extend to neighbours in the same phrase that no other column claims.
            while first > 0 and _owner(phrase.words[first - 1], columns) == mine:
                first -= 1
            while last + 1 < len(phrase.words) and _owner(phrase.words[last + 1], columns) == mine:
                last += 1
            return phrase, first, last
    return None


def _column_units(ctx: DocContext, line: Line) -> list[tuple[object, float, float]]:
    """The label line cut into columns: each label its own ("Grondslag BTW bedrag" is two), else phrases."""
    units: list[tuple[object, float, float]] = []
    for phrase in line.phrases:
        hits = ctx.hits_in(phrase)
        if not hits:
            units.append((phrase, phrase.x0, phrase.x1))
            continue
        for k, h in enumerate(hits):
            end = hits[k + 1].start if k + 1 < len(hits) else len(phrase.text)
            box = phrase.span_bbox(h.start, end)
            units.append((h, box.x0, box.x1))
    return units


def _owner(w: Word, columns: list[tuple[object, float, float]]) -> int:
    best, best_score = -1, float("-inf")
    for i, (_, c0, c1) in enumerate(columns):
        ov = min(w.x1, c1) - max(w.x0, c0)
        score = ov if ov > 0 else -min(abs(w.cx - c0), abs(w.cx - c1), abs(w.cx - (c0 + c1) / 2))
        if score > best_score:
            best, best_score = i, score
    return best


def _overlap(w: Word, x0: float, x1: float) -> float:
    slack = (w.y1 - w.y0) * 2
    return min(w.x1, x1 + slack) - max(w.x0, x0 - slack)


def _has_content(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
