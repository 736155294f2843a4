from __future__ import annotations

import random
from collections import Counter

import pytest

from models.errors import ConfigurationError
from synth.config import parse_mix
from synth.scenarios import SCENARIOS
from synth.scenarios.mix import available, plan


def test_a_group_share_leaves_the_rest_to_the_others_in_proportion() -> None:
    mix = parse_mix("clean=0.7")
    assert mix["clean"] == pytest.approx(0.7)
    assert mix["noisy"] + mix["exception"] == pytest.approx(0.3)
    assert mix["exception"] == pytest.approx(0.3 * 0.75)


def test_a_scenario_share_comes_out_of_its_group() -> None:
    names = plan(1000, parse_mix("clean=0.6,noisy=0.1,exception=0.3"), ("pdf", "scan", "einvoice", "email"),
                 random.Random(1))
    counts = Counter(SCENARIOS[n].group for n in names)
    assert counts == {"clean": 600, "noisy": 100, "exception": 300}
    assert all(counts_of >= 10 for counts_of in Counter(n for n in names if SCENARIOS[n].group == "exception")
               .values())
    one = plan(200, parse_mix("price_variance=0.5"), ("pdf",), random.Random(1))
    assert Counter(one)["price_variance"] == 100


def test_a_scenario_the_renderings_cannot_carry_is_left_out() -> None:
    names = {s.name for s in available(("pdf", "scan"))}
    assert "einvoice_pdf_mismatch" not in names and "missing_field" in names
    assert "missing_field" not in {s.name for s in available(("einvoice",))}


@pytest.mark.parametrize("text", ["clean", "clean=x", "nonsense=0.1", "clean=0.8,exception=0.5", "clean=2"])
def test_bad_mixes_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_mix(text)
