"""From candidates to one answer per field: agreement between readings, and the margin over the next.

The features recorded on the winner (its score, how many readings agree, the gap to the runner-up) are
what ``extraction.confidence`` turns into a calibrated probability.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from extraction.fields.candidates import Candidate
from models.invoice import BBox


@dataclass
class Chosen:
    field: str
    value: str
    score: float
    page: int | None
    bbox: BBox | None
    raw: str | None
    origin: str = "label"  # label | pattern | computed | position | learned
    conf: float = 1.0
    features: dict[str, float] = dataclasses.field(default_factory=dict)


@dataclass
class Grouped:
    value: str
    score: float
    best: Candidate
    count: int


def group_by_value(cands: Iterable[Candidate], key: object = None) -> list[Grouped]:
    """Readings of the same value reinforce each other: the best reading plus a little per repeat."""
    groups: dict[str, list[Candidate]] = {}
    for c in cands:
        k = c.value if key is None else key(c)  # type: ignore[operator]
        groups.setdefault(k, []).append(c)
    out = []
    for members in groups.values():
        members.sort(key=lambda c: -c.score)
        best = members[0]
        support = sum(min(0.08, 0.25 * c.score) for c in members[1:4])
        out.append(Grouped(best.value, best.score + support, best, len(members)))
    out.sort(key=lambda g: -g.score)
    return out


def choose(fname: str, cands: Iterable[Candidate], *, min_score: float = 0.12) -> Chosen | None:
    groups = group_by_value(c for c in cands if c.field == fname)
    if not groups or groups[0].score < min_score:
        return None
    return chosen_from(groups[0], groups[1:])


def chosen_from(top: Grouped, rest: list[Grouped], *, origin: str | None = None) -> Chosen:
    runner = rest[0].score if rest else 0.0
    best = top.best
    features = dict(best.features)
    features.update({"score": top.score, "support": float(top.count), "margin": top.score - runner,
                     "alternatives": float(len(rest)), "word_conf": best.conf})
    return Chosen(best.field, top.value, top.score, best.page, best.bbox, best.raw, origin or best.origin,
                  best.conf, features)
