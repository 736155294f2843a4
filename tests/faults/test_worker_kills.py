"""``kill -9`` of a worker process in the middle of each stage. The message it held stays in its
per-worker ack set in Redis; once its heartbeat is older than ``PAYABLES_BROKER_HEARTBEAT_TIMEOUT_MS``,
a live worker hands it back to the queue and the stage runs again from the top, which changes nothing
that the dead worker had committed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.harness import Servers, Worker, batch, scenario

pytestmark = [pytest.mark.servers, pytest.mark.slow]


def test_a_worker_killed_while_tesseract_reads_a_scan(servers: Servers, tmp_path: Path) -> None:
    with scenario(servers, "kill -9 of a worker during OCR (read)", tmp_path) as sc:
        sc.start_worker()
        sc.start_worker()
        sc.submit(batch(servers.world, 8))
        # The worker seen running tesseract is the one killed: by a second look its page may be read.
        seen: list[Worker] = []

        def reading() -> bool:
            worker = sc.running_tesseract()
            seen.extend([worker] if worker else [])
            return worker is not None

        sc.wait_for("a worker running tesseract", reading, 180, poll_s=0.05)
        sc.kill(seen[0])
        sc.start_worker()
        sc.settle()
        result = sc.check()
        assert result.clean, result


@pytest.mark.parametrize("stage", ["extract", "match"])
def test_a_worker_killed_in_the_middle_of_a_stage(servers: Servers, tmp_path: Path, stage: str) -> None:
    others = ",".join(q for q in ("read", "extract", "match", "post") if q != stage)
    # The mirror in the template was imported minutes ago at most: a max age of 0 makes matching re-read
    # the orders from Odoo whatever the order the tests run in.
    settings = {"PAYABLES_MIRROR_MAX_AGE_S": "0"} if stage == "match" else None
    with scenario(servers, f"kill -9 of a worker during {stage}", tmp_path, settings=settings) as sc:
        sc.start_worker(others)
        only = sc.start_worker(stage, threads=1)
        if stage == "match":
            # Matching first re-reads the invoice's orders from Odoo: hold that read, so the kill lands
            # while the stage is under way.
            sc.sandbox.add_fault("hold", model="purchase.order", when="before")
        sc.submit(batch(servers.world, 8))
        if stage == "match":
            sc.wait_for("a match stage reading Odoo", sc.sandbox.faults.held_event.is_set, 180, poll_s=0.05)
        else:
            sc.wait_for(f"a worker with a {stage} message in hand", lambda: sc.busy_in(stage) is not None, 180,
                        poll_s=0.02)
        sc.kill(only)
        sc.sandbox.faults.clear()
        sc.start_worker(stage, threads=1)
        sc.settle()
        result = sc.check()
        assert result.clean, result


def test_a_worker_killed_between_the_odoo_create_and_its_local_commit(servers: Servers, tmp_path: Path) -> None:
    with scenario(servers, "kill -9 between Odoo create and local commit (post)", tmp_path) as sc:
        sc.start_worker("read,extract,match")
        poster = sc.start_worker("post", threads=1)
        # Odoo creates the bill, then the answer is held back: the worker dies not knowing the bill's id.
        sc.sandbox.add_fault("hold", model="account.move", method="create", when="after")
        sc.submit(batch(servers.world, 8))
        sc.wait_for("a bill created in Odoo and its answer held", sc.sandbox.faults.held_event.is_set, 240,
                    poll_s=0.05)
        assert len(sc.bills()) == 1
        sc.kill(poster)
        sc.sandbox.faults.clear()
        sc.start_worker("post", threads=1)
        sc.settle()
        result = sc.check()
        assert result.clean, result
        assert result.states.get("posted", 0) >= 1
