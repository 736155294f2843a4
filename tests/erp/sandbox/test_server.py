"""The sandbox as the demo and other processes run it: ``payables erp sandbox`` in its own process,
driven over HTTP, faults injected through its control endpoint."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from erp.client import OdooClient, OdooConfig
from erp.errors import ErpUnavailable
from tests.support.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[3]


def test_the_sandbox_command_serves_a_snapshot_with_its_ids_and_takes_faults_over_http(
        snapshot: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "world.json"
    path.write_text(json.dumps(snapshot), encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from payables.cli import main; main(sys.argv[1:])",
                             "erp", "sandbox", "--port", str(port), "--snapshot", str(path), "--api-key", "k"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, timeout=60, proc=proc)
        url = f"http://127.0.0.1:{port}"
        with OdooClient(OdooConfig(url, "sandbox", "admin", "k", max_attempts=2, backoff_s=0.01)) as odoo:
            assert odoo.read("res.partner", [100], ["name"])[0]["name"] == "Medi Supply GmbH"
            control = httpx.post(f"{url}/sandbox/control", json={"action": "fault", "kind": "down", "times": None})
            assert control.json() == {"ok": True, "kind": "down"}
            with pytest.raises(ErpUnavailable):
                odoo.search("res.partner", [])
            httpx.post(f"{url}/sandbox/control", json={"action": "clear"})
            assert odoo.search("res.partner", [("id", "=", 100)]) == [100]
            state = httpx.get(f"{url}/sandbox/state").json()
            assert state["calls"]["res.partner.search"] == 3 and state["held"] is None
    finally:
        proc.terminate()
        proc.wait(10)
