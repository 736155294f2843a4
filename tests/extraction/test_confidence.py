"""Calibrated confidence: per-group logistic models over the rules' features, and their reliability."""

from __future__ import annotations

import json
import random
from pathlib import Path

from extraction.confidence import (
    FEATURES,
    POOLED,
    Calibrator,
    Sample,
    feature_vector,
    fit_calibrator,
    reliability_table,
)
from extraction.fields.select import Chosen


def _chosen(score: float, label_weight: float, *, word_conf: float = 1.0) -> Chosen:
    return Chosen("invoice_number", "INV-1", score, 1, None, "INV-1", "label", word_conf,
                  {"score": score, "label_weight": label_weight, "support": 1.0, "margin": score,
                   "word_conf": word_conf})


def _samples(n: int, seed: int) -> list[Sample]:
    """Readings under a strong label are right 98% of the time; under a bare "No" 40%."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        strong = rng.random() < 0.7
        c = _chosen(0.9 if strong else 0.2, 1.0 if strong else 0.2)
        out.append(Sample("invoice_number", feature_vector("invoice_number", c), rng.random() < (0.98 if strong
                                                                                                    else 0.4)))
    return out


def test_a_weak_label_reading_is_not_reported_as_sure() -> None:
    calibrator = fit_calibrator(_samples(2000, 1))
    strong = calibrator.confidence("invoice_number", _chosen(0.9, 1.0))
    weak = calibrator.confidence("invoice_number", _chosen(0.2, 0.2))
    assert 0.95 <= strong <= 0.995
    assert 0.3 <= weak <= 0.5


def test_held_out_readings_land_in_bins_whose_accuracy_matches_their_confidence() -> None:
    calibrator = fit_calibrator(_samples(2000, 1))
    held_out = _samples(2000, 2)
    points = []
    for s in held_out:
        weak = s.vector[FEATURES.index("label_weight")] < 0.5
        points.append((calibrator.confidence("invoice_number", _chosen(0.2, 0.2) if weak else _chosen(0.9, 1.0)),
                       s.right))
    for b in reliability_table(points):
        if b.count >= 100:
            assert abs(b.mean_confidence - b.accuracy) < 0.05


def test_a_group_with_too_few_wrong_readings_falls_back_to_the_pooled_model() -> None:
    samples = _samples(500, 3) + [Sample("currency", feature_vector("currency", _chosen(0.9, 1.0)), True)] * 80
    calibrator = fit_calibrator(samples)
    assert calibrator.models is not None
    assert "ref" in calibrator.models and "currency" not in calibrator.models and POOLED in calibrator.models


def test_an_artefact_for_another_feature_set_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"weights": [0.5] * 27, "fitted_on": "an older release"}))
    calibrator = Calibrator.load(path)
    assert not calibrator.fitted
    assert calibrator.confidence("invoice_number", _chosen(1.0, 1.0)) <= 0.9
    fit_calibrator(_samples(300, 4)).save(path)
    assert Calibrator.load(path).fitted
