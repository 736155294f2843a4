"""A spaCy NER over a page's words in reading order: the text-only learned reader.

A blank multilingual pipeline (``spacy.blank("xx")``: no downloaded model exists here) with one
``ner`` component whose tok2vec is kept small (hashed NORM/PREFIX/SUFFIX/SHAPE embeddings, width 64,
depth 2). The ``Doc`` is built from our words as tokens, so an entity maps straight back to its words
and boxes.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extraction.learned.labels import FIELD_TAGS, TaggedPage
from models.text import Word

_MODEL = {
    "@architectures": "spacy.TransitionBasedParser.v2",
    "state_type": "ner",
    "extra_state_tokens": False,
    "hidden_width": 64,
    "maxout_pieces": 2,
    "use_upper": True,
    "nO": None,
    "tok2vec": {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": 64,
        "depth": 2,
        "embed_size": 2000,
        "window_size": 1,
        "maxout_pieces": 3,
        "subword_features": True,
    },
}


@dataclass(frozen=True)
class NerSettings:
    epochs: int = 12
    dropout: float = 0.2
    seed: int = 0
    batch: int = 8


def _doc(nlp: Any, words: Sequence[Word]) -> Any:
    from spacy.tokens import Doc

    texts = [w.text for w in words]
    return Doc(nlp.vocab, words=texts, spaces=[True] * len(texts))


def _entities(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for i, tag in enumerate(tags):
        if tag.startswith("B-"):
            spans.append((i, i + 1, tag[2:]))
        elif tag.startswith("I-") and spans and spans[-1][1] == i and spans[-1][2] == tag[2:]:
            spans[-1] = (spans[-1][0], i + 1, spans[-1][2])
    return spans


def train(pages: Sequence[TaggedPage], settings: NerSettings, *, log: Any = None) -> Any:
    import spacy
    from spacy.tokens import Span
    from spacy.training import Example
    from thinc.api import fix_random_seed

    fix_random_seed(settings.seed)
    nlp = spacy.blank("xx")
    ner: Any = nlp.add_pipe("ner", config={"model": _MODEL})
    for tag in FIELD_TAGS.values():
        ner.add_label(tag)
    examples = []
    for tp in pages:
        if not tp.words:
            continue
        predicted = _doc(nlp, tp.words)
        reference = _doc(nlp, tp.words)
        reference.ents = [Span(reference, s, e, label=lab) for s, e, lab in _entities(tp.tags)]
        examples.append(Example(predicted, reference))
    optimiser = nlp.initialize(lambda: examples)
    order = random.Random(settings.seed)
    for epoch in range(settings.epochs):
        order.shuffle(examples)
        losses: dict[str, float] = {}
        for k in range(0, len(examples), settings.batch):
            nlp.update(examples[k:k + settings.batch], sgd=optimiser, drop=settings.dropout, losses=losses)
        if log is not None:
            log(f"spaCy NER epoch {epoch + 1}/{settings.epochs}: loss {losses.get('ner', 0.0):.1f}")
    return nlp


def predict(nlp: Any, words: Sequence[Word]) -> list[tuple[int, int, str]]:
    """Entity spans over ``words`` as (first word, end word, tag)."""
    if not words:
        return []
    doc = nlp(_doc(nlp, words))
    return [(ent.start, ent.end, ent.label_) for ent in doc.ents]


def save(nlp: Any, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(folder)


def load(folder: Path) -> Any:
    import spacy

    return spacy.load(folder)
