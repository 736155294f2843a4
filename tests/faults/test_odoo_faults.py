"""Odoo down, slow and refusing with serialization failures, while invoices are matched (the orders they
name are re-read from Odoo) and posted, and while the mirror is synced."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.faults.harness import Scenario, Servers, batch, scenario

pytestmark = [pytest.mark.servers, pytest.mark.slow]


def _sync(sc: Scenario) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "payables", "erp", "sync"], env={**os.environ, **sc.env},
                          capture_output=True, timeout=180)


def test_odoo_down_during_matching_posting_and_sync(servers: Servers, tmp_path: Path) -> None:
    with scenario(servers, "Odoo down (HTTP 503) for 20 s", tmp_path) as sc:
        sc.start_worker()
        sc.start_worker()
        sc.submit(batch(servers.world, 8))
        sc.wait_for("the batch under way", lambda: sc.any_in("extracted", "matched", "in_review", "posted"), 120)
        sc.sandbox.add_fault("down", times=None)
        went_down = time.monotonic()
        down = _sync(sc)
        assert down.returncode != 0 and b"Traceback" not in down.stderr, down.stderr[-2000:]
        time.sleep(max(0.0, 20 - (time.monotonic() - went_down)))
        sc.sandbox.faults.clear()
        assert _sync(sc).returncode == 0
        sc.settle()
        result = sc.check()
        assert result.clean, result


def test_odoo_slower_than_the_client_timeout_while_posting(servers: Servers, tmp_path: Path) -> None:
    # A create that times out still commits in Odoo 8 s later: the retried posting must find and adopt
    # that bill rather than make a second one.
    with scenario(servers, "Odoo slow (creates take 8 s, client timeout 3 s)", tmp_path,
                  settings={"PAYABLES_ODOO_TIMEOUT_S": "3"}) as sc:
        sc.sandbox.add_fault("delay", model="account.move", method="create", delay_s=8, times=2)
        sc.sandbox.add_fault("delay", model="purchase.order", delay_s=4, times=3)
        sc.start_worker()
        sc.start_worker()
        sc.submit(batch(servers.world, 8))
        sc.settle(300)
        result = sc.check()
        assert result.clean, result
        assert "failed" not in result.states and result.states.get("posted"), result.states


def test_odoo_refusing_with_serialization_failures_during_sync_and_posting(servers: Servers,
                                                                          tmp_path: Path) -> None:
    with scenario(servers, "Odoo serialization failures (sync, refresh, posting)", tmp_path) as sc:
        sc.sandbox.add_fault("serialization", model="account.move", method="create", times=2)
        sc.sandbox.add_fault("serialization", model="account.move", method="action_post", times=1)
        sc.sandbox.add_fault("serialization", model="purchase.order", times=3)
        sc.sandbox.add_fault("serialization", model="res.partner", times=2)
        sc.start_worker()
        sc.start_worker()
        sc.submit(batch(servers.world, 8))
        synced = _sync(sc)
        assert synced.returncode == 0 or b"Traceback" not in synced.stderr, synced.stderr[-2000:]
        sc.settle()
        result = sc.check()
        assert result.clean, result
        assert _sync(sc).returncode == 0
