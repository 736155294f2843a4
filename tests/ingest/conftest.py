from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Intake, IntakeLimits
from ingest.storage.local import LocalStore
from models.db import make_engine, make_session_factory
from models.migrate import upgrade


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    url = f"sqlite:///{tmp_path / 'payables.db'}"
    upgrade(url)
    return make_session_factory(make_engine(url))


@pytest.fixture
def intake(sessions: sessionmaker[Session], tmp_path: Path) -> Intake:
    return Intake(sessions, LocalStore(tmp_path / "objects"), IntakeLimits(max_bytes=2_000_000))
