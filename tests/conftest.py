"""Session-wide fixtures: the real servers, started once on loopback and stopped at the end."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.dovecot import dovecot  # noqa: F401  (session fixture: a real Dovecot IMAP server)
from tests.support.servers import Postgres, Redis, S3Server, postgres_server, redis_server, s3_server

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_db_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    with postgres_server() as server:
        yield server


@pytest.fixture
def postgres_url(postgres: Postgres) -> str:
    """A fresh, empty database on the session's PostgreSQL server."""
    return postgres.create_database(f"t{os.getpid()}_{next(_db_counter)}")


@pytest.fixture(scope="session")
def redis() -> Iterator[Redis]:
    with redis_server() as server:
        yield server


@pytest.fixture(scope="session")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    root = Path(os.environ.get("PAYABLES_CORPUS", CORPUS))
    if not root.is_dir():
        pytest.skip(f"the evaluation corpus is not at {root}")
    return root
