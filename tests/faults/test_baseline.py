"""The same batch with no fault: the reference every fault scenario is compared against."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.harness import Servers, batch, scenario

pytestmark = [pytest.mark.servers, pytest.mark.slow]


def test_a_batch_without_faults_settles_with_every_invariant_intact(servers: Servers, tmp_path: Path) -> None:
    with scenario(servers, "no fault (baseline)", tmp_path) as sc:
        sc.start_worker()
        sc.start_worker()
        sc.submit(batch(servers.world, 12))
        sc.settle()
        result = sc.check()
        assert result.clean, result
        assert result.states.get("posted"), "the batch's clean invoices post to Odoo on their own"
