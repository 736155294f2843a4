"""Rules and learned models together: a learned answer is taken only where it measurably helps.

``payables train`` measures, field by field on held-out development documents, the rules alone, the
learned models alone, the learned answer filling a field the rules left empty, and the learned answer
preferred over the rules; the winner is written to ``artefacts/ensemble.json`` only when it beats the
rules. Fields whose policy is ``rules`` never load a model, so a deployment without a field that
benefits pays nothing for the learned part.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from extraction.fields.candidates import Candidate
from extraction.fields.header import FieldSet
from extraction.fields.select import Chosen, chosen_from, group_by_value
from extraction.learned.labels import FIELD_TAGS, reading_order
from models.text import PageText

ARTEFACTS = Path(__file__).parent / "artefacts"
POLICIES = ("rules", "fill", "prefer")
ENGINE_ENSEMBLE = "layout-ensemble/1"
ENGINE_LEARNED = "layout-learned/1"


@dataclass
class Policy:
    fields: dict[str, str] = field(default_factory=dict)  # field → rules | fill | prefer
    min_score: float = 0.5  # a learned answer below this is not taken by "prefer"

    @classmethod
    def load(cls, folder: Path = ARTEFACTS) -> Policy:
        path = folder / "ensemble.json"
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(dict(data.get("fields") or {}), float(data.get("min_score", 0.5)))

    def uses_learned(self) -> bool:
        return any(p != "rules" for p in self.fields.values())

    def save(self, folder: Path, evidence: dict[str, Any]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "ensemble.json").write_text(json.dumps(
            {"fields": self.fields, "min_score": self.min_score, "evidence": evidence}, indent=1) + "\n",
            encoding="utf-8")


@dataclass
class Models:
    tagger: Any
    ner: Any

    @classmethod
    def load(cls, folder: Path = ARTEFACTS) -> Models | None:
        from extraction.learned import layout_model, ner

        if not (folder / "layout_tagger" / "config.json").exists() or not (folder / "ner").exists():
            return None
        return cls(layout_model.load(folder / "layout_tagger"), ner.load(folder / "ner"))


@lru_cache(maxsize=1)
def _installed() -> tuple[Policy, Models | None]:
    policy = Policy.load()
    return policy, Models.load() if policy.uses_learned() else None


@lru_cache(maxsize=1)
def _models_for_learned_mode() -> Models | None:
    return Models.load()


def learned_candidates(pages: list[PageText], models: Models, style: Any, order: Any) -> list[Candidate]:
    from extraction.learned import decode, layout_model, ner

    out: list[Candidate] = []
    for page, words in reading_order(pages):
        if not words:
            continue
        spans = decode.spans_from_probs(layout_model.predict(models.tagger, page, words))
        out += decode.candidates(page, words, spans, style, order)
        # spaCy's NER gives no probability; its spans count as an even bet, below a sure tagger span.
        ner_spans = [(s, e, tag, 0.5) for s, e, tag in ner.predict(models.ner, words)]
        out += [_as_ner(c) for c in decode.candidates(page, words, ner_spans, style, order)]
    return out


def _as_ner(c: Candidate) -> Candidate:
    c.features["ner"] = 1.0
    return c


def learned_choice(cands: list[Candidate]) -> dict[str, Chosen]:
    out: dict[str, Chosen] = {}
    for fname in FIELD_TAGS:
        groups = group_by_value(c for c in cands if c.field == fname)
        if groups:
            out[fname] = chosen_from(groups[0], groups[1:], origin="learned")
    return out


def combine(rules: dict[str, Chosen], learned: dict[str, Chosen], policy: Policy) -> dict[str, Chosen]:
    out = dict(rules)
    for fname, how in policy.fields.items():
        found = learned.get(fname)
        if found is None or how == "rules":
            continue
        if (how == "fill" and fname not in rules) or (how == "prefer" and found.score >= policy.min_score):
            out[fname] = found
    return out


def apply_learned(fieldset: FieldSet, pages: list[PageText], mode: str) -> str | None:
    """Replace or fill ``fieldset.fields`` from the learned models; the engine name when they were used."""
    if mode == "learned":
        models = _models_for_learned_mode()
        if models is None:
            return None
        learned = learned_choice(learned_candidates(pages, models, fieldset.ctx.read.style, fieldset.ctx.read.order))
        fieldset.fields = {k: v for k, v in fieldset.fields.items() if k not in FIELD_TAGS} | learned
        return ENGINE_LEARNED
    policy, installed = _installed()
    if installed is None:
        return None
    learned = learned_choice(learned_candidates(pages, installed, fieldset.ctx.read.style, fieldset.ctx.read.order))
    fieldset.fields = combine(fieldset.fields, learned, policy)
    return ENGINE_ENSEMBLE
