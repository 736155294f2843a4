"""One small world for the whole synth test session: every scenario once, all renderings, written once."""

from __future__ import annotations

from pathlib import Path

import pytest

from synth import GeneratedWorld, SynthConfig, generate, write_world

SEED = 11


@pytest.fixture(scope="session")
def small_world() -> GeneratedWorld:
    return generate(SynthConfig(vendors=40, invoices=0, each=1, seed=SEED))


@pytest.fixture(scope="session")
def written_world(small_world: GeneratedWorld, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    write_world(small_world, out, jobs=2)
    return out
