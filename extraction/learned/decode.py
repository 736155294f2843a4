"""Tagged words back to field values, through the same parsers the rules use."""

from __future__ import annotations

from collections.abc import Sequence

from extraction.fields.candidates import Candidate
from extraction.learned.labels import TAG_FIELDS, TAGS
from extraction.normalise.amounts import AmountStyle, amount_str, find_amounts
from extraction.normalise.dates import DateOrder, find_dates
from models.identifiers import normalise_iban, normalise_vat
from models.invoice import BBox
from models.text import PageText, Word


def spans_from_probs(probs: Sequence[Sequence[float]]) -> list[tuple[int, int, str, float]]:
    """Argmax tags to spans (first word, end word, tag, mean probability of the span's tags)."""
    spans: list[tuple[int, int, str, float]] = []
    current: list[float] = []
    for i, row in enumerate(probs):
        best = max(range(len(row)), key=row.__getitem__)
        tag = TAGS[best]
        if tag.startswith("I-") and spans and spans[-1][1] == i and spans[-1][2] == tag[2:]:
            start, _, name, _ = spans[-1]
            current.append(row[best])
            spans[-1] = (start, i + 1, name, sum(current) / len(current))
        elif tag != "O":
            current = [row[best]]
            spans.append((i, i + 1, tag[2:], row[best]))
    return spans


def candidates(page: PageText, words: Sequence[Word], spans: Sequence[tuple[int, int, str, float]],
               style: AmountStyle, order: DateOrder) -> list[Candidate]:
    out = []
    for start, end, tag, score in spans:
        fname = TAG_FIELDS.get(tag)
        if fname is None:
            continue
        chunk = list(words[start:end])
        text = " ".join(w.text for w in chunk)
        value = normalise(fname, text, style, order)
        if value is None:
            continue
        box = BBox(min(w.x0 for w in chunk), min(w.y0 for w in chunk), max(w.x1 for w in chunk),
                   max(w.y1 for w in chunk))
        out.append(Candidate(field=fname, value=value, score=score, page=page.number, bbox=box, raw=text,
                             conf=min(w.conf for w in chunk), origin="learned", features={"learned": score}))
    return out


def normalise(fname: str, text: str, style: AmountStyle, order: DateOrder) -> str | None:
    if fname in ("total_amount", "net_amount", "tax_amount"):
        found = find_amounts(text, style)
        return amount_str(found[-1].value) if found else None
    if fname in ("invoice_date", "due_date"):
        dates = find_dates(text, order, compact=True)
        return dates[0].value.isoformat() if dates else None
    if fname == "vendor_vat":
        value = normalise_vat(text)
        return value if sum(c.isdigit() for c in value) >= 6 else None
    if fname == "vendor_iban":
        value = normalise_iban(text)
        return value if len(value) >= 10 else None
    cleaned = text.strip(" :#.,;")
    return cleaned or None
