"""Calibrated confidence: a field read at 0.95 should be right about 95% of the time.

The rules score a reading on their own scale (label strength × position × value shape, plus agreement
and consistency); that scale is not a probability. A logistic model over those features, fitted on the
corpus's development half and the synthetic world by ``payables train``, maps it to one; the
reliability table of ``payables eval`` checks it on the test half. Without a fitted model (a fresh
checkout before training) a conservative monotone mapping is used and says so in the engine name.
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
FIELD_GROUPS = {
    "invoice_number": "ref", "po_number": "ref", "delivery_note": "ref",
    "invoice_date": "date", "due_date": "date",
    "net_amount": "amount", "tax_amount": "amount", "total_amount": "amount",
    "vendor_vat": "id", "vendor_iban": "id", "vendor_bic": "id", "buyer_vat": "id",
    "vendor_name": "name", "buyer_name": "name",
    "currency": "currency",
}
GROUPS = ("ref", "date", "amount", "id", "name", "currency", "other")
ORIGINS = ("label", "pattern", "computed", "position", "section", "sender_line", "legal_form", "top_line",
           "learned", "default", "footer", "attention")
VECTOR_LENGTH = 8 + len(GROUPS) + len(ORIGINS)


def feature_vector(fname: str, chosen: Chosen) -> list[float]:
    f = chosen.features
    group = FIELD_GROUPS.get(fname, "other")
    vec = [
        1.0,
        min(2.0, chosen.score),
        max(-1.0, min(2.0, f.get("margin", 0.0))),
        math.log1p(max(0.0, f.get("support", 1.0))),
        f.get("word_conf", chosen.conf),
        f.get("consistent", 0.0),
        f.get("label_weight", 0.0),
        f.get("quality", 0.0),
    ]
    vec += [1.0 if group == g else 0.0 for g in GROUPS]
    vec += [1.0 if chosen.origin == o else 0.0 for o in ORIGINS]
    return vec


@dataclass
class Calibrator:
    weights: list[float] | None = None
    fitted_on: str = ""

    @classmethod
    def load(cls, path: Path = ARTEFACT) -> Calibrator:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(list(data["weights"]), str(data.get("fitted_on", "")))

    @property
    def fitted(self) -> bool:
        return self.weights is not None

    def confidence(self, fname: str, chosen: Chosen) -> float:
        if self.weights is None or len(self.weights) != VECTOR_LENGTH:
            # Not fitted, or fitted for another feature set (a model older than the code): stay modest.
            return round(max(0.05, min(0.9, 0.75 * chosen.score)), 4)
        x = feature_vector(fname, chosen)
        z = sum(w * v for w, v in zip(self.weights, x, strict=False))
        return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 4)

    def save(self, path: Path = ARTEFACT) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"weights": [round(w, 6) for w in self.weights or []],
                                    "fitted_on": self.fitted_on}, indent=1) + "\n", encoding="utf-8")


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
