"""ERP test fixtures: the sandbox Odoo on loopback (a fresh world per test), a client on it, and a
migrated SQLite database per test (copied from one migrated once per session)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from erp.client import OdooClient, OdooConfig
from erp.sandbox import SandboxServer, new_world
from models.db import make_engine, make_session_factory
from models.migrate import upgrade
from tests.erp.snapshots import make_snapshot

API_KEY = "test-key"


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "mirror.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(migrated_db: Path, tmp_path: Path) -> str:
    path = tmp_path / "payables.db"
    shutil.copy(migrated_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def snapshot() -> dict[str, Any]:
    return make_snapshot(orders=12)


@pytest.fixture
def sandbox(snapshot: dict[str, Any]) -> Iterator[SandboxServer]:
    with SandboxServer(new_world(snapshot=snapshot, api_key=API_KEY)) as server:
        yield server


def make_client(server: SandboxServer, protocol: str = "xmlrpc", **kw: Any) -> OdooClient:
    kw.setdefault("backoff_s", 0.01)
    return OdooClient(OdooConfig(server.url, "sandbox", "admin", API_KEY, protocol=protocol, **kw))


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[OdooClient]:
    with make_client(sandbox) as c:
        yield c
