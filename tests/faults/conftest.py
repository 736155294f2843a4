"""Servers and the synthetic world shared by every fault scenario (started once per session): a
PostgreSQL, a Redis with AOF and an S3 server of their own (scenarios restart and cut them, so they are
not the suite's shared ones), the world from ``payables synth``, and a template database holding the
migrated schema and the ERP mirror from ``payables erp import``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults import harness
from tests.faults.harness import Servers, TcpGate
from tests.support.servers import postgres_server, redis_server, s3_server

WORLD = {"vendors": "30", "invoices": "24", "seed": "11"}


@pytest.fixture(scope="session")
def fault_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fault-world")
    subprocess.run([sys.executable, "-m", "payables", "synth", *[f"--{k}={v}" for k, v in WORLD.items()],
                    "--jobs", "2", str(out)], check=True, capture_output=True, timeout=600)
    return out


@pytest.fixture(scope="session")
def servers(fault_world: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with postgres_server() as pg, redis_server() as redis, s3_server() as s3:
        gate = TcpGate(s3.port)
        gate.open()
        template = pg.create_database("fault_template").rsplit("/", 1)[1]
        env = {**os.environ, "PAYABLES_DATABASE_URL": pg.url(template),
               "PAYABLES_DATA_DIR": str(tmp_path_factory.mktemp("template-var"))}
        for step in (["db", "upgrade"], ["erp", "import", str(fault_world / "snapshot.json")]):
            subprocess.run([sys.executable, "-m", "payables", *step], env=env, check=True, capture_output=True,
                           timeout=300)
        try:
            yield Servers(pg, redis, s3, gate, template, fault_world)
        finally:
            gate.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if harness.RESULTS:
        terminalreporter.section("fault scenarios")
        terminalreporter.write_line(harness.report())
        path = os.environ.get("PAYABLES_FAULT_REPORT")
        if path:
            Path(path).write_text(harness.report() + "\n", encoding="utf-8")
