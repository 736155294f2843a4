"""Calibrated confidence: a field read at 0.95 should be right about 95% of the time.

The rules score a reading on their own scale (label strength × position × value shape, plus agreement
and consistency); that scale is not a probability. Logistic models over those features, one per group
of fields, fitted by ``payables train`` on the corpus's development half (as printed, with its XML
removed and as a degraded scan) and on a generated synthetic world (digital and scanned renderings,
where a value read for a field the document does not print counts as wrong), map it to one; the
reliability table of ``payables eval`` checks it on the corpus's test half and on worlds of other seeds.
Without a fitted model (a fresh checkout before training) a conservative monotone mapping is used.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extraction.fields.select import Chosen

ARTEFACT = Path(__file__).parent / "learned" / "artefacts" / "calibration.json"
FORMAT = 2
FIELD_GROUPS = {
    "invoice_number": "ref", "po_number": "ref", "delivery_note": "ref", "credit_note_ref": "ref",
    "invoice_date": "date", "due_date": "date",
    "net_amount": "amount", "tax_amount": "amount", "total_amount": "amount",
    "vendor_vat": "id", "vendor_iban": "id", "vendor_bic": "id", "buyer_vat": "id",
    "vendor_name": "name", "buyer_name": "name",
    "currency": "currency",
}
GROUPS = ("ref", "date", "amount", "id", "name", "currency", "other")
ORIGINS = ("label", "pattern", "computed", "position", "section", "sender_line", "legal_form", "top_line",
           "learned", "default", "footer", "attention")
# What the rules record about a reading, each in 0..1 or a small range; every group's model weighs the
# same features. ``ocr`` and ``word_conf`` carry how sure the reader was of the words themselves.
FEATURES = ("bias", "score", "margin", "log_support", "log_alternatives", "word_conf", "ocr", "consistent",
            "label_weight", "quality", "position", "inline", "right", "below", "doc_word", "near_number",
            "fallback", "lines_match", "paid_match", "rate_sum", "buyer_section", "vendor_section",
            *(f"origin:{o}" for o in ORIGINS))
VECTOR_LENGTH = len(FEATURES)
# A group's own model needs this many readings, wrong ones among them; otherwise the pooled one decides.
MIN_GROUP_SAMPLES = 60
MIN_GROUP_WRONG = 5
POOLED = "*"


def feature_vector(fname: str, chosen: Chosen, *, ocr: bool = False) -> list[float]:
    f = chosen.features
    flags = ("inline", "right", "below", "doc_word", "near_number", "fallback", "lines_match", "paid_match",
             "rate_sum", "buyer_section", "vendor_section")
    vec = [
        1.0,
        min(2.0, chosen.score),
        max(-1.0, min(2.0, f.get("margin", 0.0))),
        math.log1p(max(0.0, f.get("support", 1.0))),
        math.log1p(max(0.0, f.get("alternatives", 0.0))),
        f.get("word_conf", chosen.conf),
        1.0 if ocr else 0.0,
        f.get("consistent", 0.0),
        f.get("label_weight", 0.0),
        f.get("quality", 0.0),
        f.get("position", 0.0),
    ]
    vec += [min(1.0, max(0.0, f.get(name, 0.0))) for name in flags]
    vec += [1.0 if chosen.origin == o else 0.0 for o in ORIGINS]
    return vec


def group_of(fname: str) -> str:
    return FIELD_GROUPS.get(fname, "other")


@dataclass
class Calibrator:
    """Per group of fields (references, dates, amounts, ids, names, currency) a logistic model from the
    reading's features to the probability that it is right; groups with too few readings to fit their
    own use the pooled model."""

    models: dict[str, list[float]] | None = None
    fitted_on: str = ""

    @classmethod
    def load(cls, path: Path = ARTEFACT) -> Calibrator:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or list(data.get("features") or []) != list(FEATURES):
            # Fitted for another feature set (a model older than the code): stay modest until refitted.
            return cls(None, str(data.get("fitted_on", "")))
        return cls({g: list(w) for g, w in data["models"].items()}, str(data.get("fitted_on", "")))

    @property
    def fitted(self) -> bool:
        return self.models is not None

    def confidence(self, fname: str, chosen: Chosen, *, ocr: bool = False) -> float:
        weights = None if self.models is None else self.models.get(group_of(fname), self.models.get(POOLED))
        if weights is None or len(weights) != VECTOR_LENGTH:
            return round(max(0.05, min(0.9, 0.75 * chosen.score)), 4)
        x = feature_vector(fname, chosen, ocr=ocr)
        z = sum(w * v for w, v in zip(weights, x, strict=True))
        return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 4)

    def save(self, path: Path = ARTEFACT) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        models = {g: [round(w, 6) for w in ws] for g, ws in sorted((self.models or {}).items())}
        path.write_text(json.dumps({"format": FORMAT, "features": list(FEATURES), "models": models,
                                    "fitted_on": self.fitted_on}, indent=1) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Sample:
    field: str
    vector: list[float]
    right: bool


def fit_calibrator(samples: Sequence[Sample], *, fitted_on: str = "") -> Calibrator:
    """The pooled model over every sample, and a model of its own for each group with enough of them."""
    if len(samples) < 20:
        return Calibrator(None, fitted_on)
    models = {POOLED: fit([(s.vector, s.right) for s in samples])}
    by_group: dict[str, list[Sample]] = {}
    for s in samples:
        by_group.setdefault(group_of(s.field), []).append(s)
    for group, members in by_group.items():
        wrong = sum(1 for s in members if not s.right)
        if len(members) >= MIN_GROUP_SAMPLES and wrong >= MIN_GROUP_WRONG:
            models[group] = fit([(s.vector, s.right) for s in members])
    return Calibrator(models, fitted_on)


def fit(samples: Sequence[tuple[list[float], bool]], *, l2: float = 1.0, iterations: int = 50) -> list[float]:
    """Logistic regression by Newton's method with an L2 penalty (the intercept unpenalised)."""
    import numpy as np

    x = np.array([s[0] for s in samples], dtype=float)
    y = np.array([1.0 if s[1] else 0.0 for s in samples])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-6)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-7:
            break
    return [float(v) for v in w]


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


def reliability_table(points: Sequence[tuple[float, bool]],
                      edges: Sequence[float] = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)) -> list[ReliabilityBin]:
    """Confidence against observed accuracy, bin by bin; and the expected calibration error from it."""
    out = []
    for low, high in itertools.pairwise(edges):
        inside = [(c, ok) for c, ok in points if low <= c < high]
        if not inside:
            out.append(ReliabilityBin(low, min(high, 1.0), 0, 0.0, 0.0))
            continue
        out.append(ReliabilityBin(low, min(high, 1.0), len(inside), sum(c for c, _ in inside) / len(inside),
                                  sum(1 for _, ok in inside if ok) / len(inside)))
    return out


def expected_calibration_error(bins: Sequence[ReliabilityBin]) -> float:
    total = sum(b.count for b in bins)
    if total == 0:
        return 0.0
    return sum(b.count * abs(b.mean_confidence - b.accuracy) for b in bins) / total
