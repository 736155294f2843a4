from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from payables.pipeline import Pipeline
from payables.runtime import Runtime
from payables.settings import load_settings


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Pipeline]:
    """The embedded default: SQLite, a folder store and an in-process worker."""
    rt = Runtime.from_settings(load_settings(data_dir=tmp_path / "var", stage_max_retries=1))
    pipeline = Pipeline.build(rt)
    pipeline.start_worker(threads=2)
    try:
        yield pipeline
    finally:
        pipeline.stop()
        rt.close()
