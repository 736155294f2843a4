"""A small LayoutLM-style token classifier over words and their boxes, configured and trained from scratch.

``transformers``' ``LayoutLMForTokenClassification`` with a tiny configuration (two layers of 96
dimensions, under a million weights, a few MB on disk): word ids from ``features.word_id``, the 2-D
position of each word's box, and one of ``labels.TAGS`` per word. Pages longer than one window are
read in overlapping windows and the overlaps averaged.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extraction.learned.features import CLS, PAD, SEP, grid_box, word_id
from extraction.learned.labels import TAGS, TaggedPage
from models.text import PageText, Word

_WINDOW = 256
_STRIDE = 192


@dataclass(frozen=True)
class TaggerSettings:
    hidden: int = 96
    layers: int = 2
    heads: int = 4
    intermediate: int = 192
    epochs: int = 10
    batch: int = 8
    learning_rate: float = 1e-3
    seed: int = 0
    # "O" is most words; weighting it down keeps the model from predicting nothing at all.
    outside_weight: float = 0.15


def build(settings: TaggerSettings) -> Any:
    from transformers import LayoutLMConfig, LayoutLMForTokenClassification

    from extraction.learned.features import BUCKETS

    options: dict[str, Any] = dict(
        vocab_size=BUCKETS, hidden_size=settings.hidden, num_hidden_layers=settings.layers,
        num_attention_heads=settings.heads, intermediate_size=settings.intermediate,
        max_position_embeddings=_WINDOW + 2, max_2d_position_embeddings=1024, type_vocab_size=1,
        num_labels=len(TAGS), id2label=dict(enumerate(TAGS)), label2id={t: i for i, t in enumerate(TAGS)},
        hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
    )
    return LayoutLMForTokenClassification(LayoutLMConfig(**options))


def _windows(page: PageText, words: Sequence[Word], tags: Sequence[str] | None) -> list[dict[str, Any]]:
    out = []
    start = 0
    while True:
        chunk = range(start, min(len(words), start + _WINDOW))
        ids = [CLS] + [word_id(words[i].text) for i in chunk] + [SEP]
        boxes = [[0, 0, 0, 0]] + [grid_box(words[i], page) for i in chunk] + [[1000, 1000, 1000, 1000]]
        labels = [-100] + ([TAGS.index(tags[i]) for i in chunk] if tags is not None else [0] * len(chunk)) + [-100]
        out.append({"ids": ids, "boxes": boxes, "labels": labels, "index": list(chunk)})
        if start + _WINDOW >= len(words):
            return out
        start += _STRIDE


def _batch(items: list[dict[str, Any]]) -> dict[str, Any]:
    import torch

    width = max(len(it["ids"]) for it in items)

    def pad(seq: list[Any], fill: Any) -> list[Any]:
        return seq + [fill] * (width - len(seq))

    return {
        "input_ids": torch.tensor([pad(it["ids"], PAD) for it in items]),
        "bbox": torch.tensor([pad(it["boxes"], [0, 0, 0, 0]) for it in items]),
        "attention_mask": torch.tensor([pad([1] * len(it["ids"]), 0) for it in items]),
        "labels": torch.tensor([pad(it["labels"], -100) for it in items]),
    }


def train(pages: Sequence[TaggedPage], settings: TaggerSettings, *, log: Any = None) -> Any:
    import torch

    random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    torch.use_deterministic_algorithms(True)
    model = build(settings)
    items = [w for tp in pages if tp.words for w in _windows(tp.page, tp.words, tp.tags)]
    weights = torch.ones(len(TAGS))
    weights[0] = settings.outside_weight
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights, ignore_index=-100)
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate, weight_decay=0.01)
    order = random.Random(settings.seed)
    model.train()
    for epoch in range(settings.epochs):
        order.shuffle(items)
        total = 0.0
        for k in range(0, len(items), settings.batch):
            batch = _batch(items[k:k + settings.batch])
            labels = batch.pop("labels")
            logits = model(**batch).logits
            loss = loss_fn(logits.reshape(-1, len(TAGS)), labels.reshape(-1))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            total += float(loss.detach())
        if log is not None:
            log(f"layout tagger epoch {epoch + 1}/{settings.epochs}: loss {total / max(1, len(items)):.4f}")
    model.eval()
    return model


def predict(model: Any, page: PageText, words: Sequence[Word]) -> list[list[float]]:
    """Per word, the probability of each tag (``labels.TAGS`` order)."""
    import torch

    if not words:
        return []
    sums = [[0.0] * len(TAGS) for _ in words]
    counts = [0] * len(words)
    with torch.no_grad():
        for window in _windows(page, words, None):
            batch = _batch([window])
            batch.pop("labels")
            probs = torch.softmax(model(**batch).logits[0], dim=-1)
            for pos, i in enumerate(window["index"], start=1):
                row = probs[pos].tolist()
                sums[i] = [a + b for a, b in zip(sums[i], row, strict=True)]
                counts[i] += 1
    return [[v / max(1, counts[i]) for v in row] for i, row in enumerate(sums)]


def save(model: Any, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)


def load(folder: Path) -> Any:
    from transformers import LayoutLMForTokenClassification

    model: Any = LayoutLMForTokenClassification.from_pretrained(folder, local_files_only=True)
    model.eval()
    return model
