"""The servers under the pipeline going away mid-batch: Redis (AOF on) and PostgreSQL restarted, the S3
server unreachable for 30 seconds."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.faults.harness import Servers, batch, scenario

pytestmark = [pytest.mark.servers, pytest.mark.slow]


def test_redis_killed_and_restarted_during_a_batch(servers: Servers, tmp_path: Path) -> None:
    with scenario(servers, "Redis killed and restarted (AOF)", tmp_path) as sc:
        sc.start_worker()
        sc.start_worker()
        files = batch(servers.world, 8)
        sc.submit(files[:5])
        sc.wait_for("the batch under way", lambda: sc.any_in("text_ready", "extracted", "matched", "posted"), 120)
        servers.redis.stop(kill=True)
        time.sleep(3)
        servers.redis.start()
        sc.submit(files[5:], tries=3)
        sc.settle()
        result = sc.check()
        assert result.clean, result


def test_postgresql_restarted_during_a_batch(servers: Servers, tmp_path: Path) -> None:
    with scenario(servers, "PostgreSQL restarted", tmp_path) as sc:
        sc.start_worker()
        sc.start_worker()
        files = batch(servers.world, 8)
        sc.submit(files[:5])
        sc.wait_for("the batch under way", lambda: sc.any_in("text_ready", "extracted", "matched", "posted"), 120)
        servers.postgres.stop()
        time.sleep(3)
        servers.postgres.start()
        sc.rt.engine.dispose()  # the sender's pooled connections died with the server
        sc.submit(files[5:], tries=3)
        sc.settle()
        result = sc.check()
        assert result.clean, result


def test_the_s3_server_unreachable_for_30_seconds(servers: Servers, tmp_path: Path) -> None:
    with scenario(servers, "S3 unreachable for 30 s", tmp_path) as sc:
        sc.start_worker()
        sc.start_worker()
        files = batch(servers.world, 8)
        sc.submit(files[:4])
        sc.wait_for("the batch under way", lambda: sc.any_in("text_ready", "extracted", "matched"), 120)
        servers.gate.close()
        reopen = threading.Timer(30, servers.gate.open)
        reopen.start()
        try:
            # Uploads during the outage: intake retries the store, then says no; the sender sends again.
            sc.submit(files[4:], tries=12)
        finally:
            reopen.join()
        sc.settle()
        result = sc.check()
        assert result.clean, result
        assert len(sc.accepted) == len(files), "every file was accepted in the end"
