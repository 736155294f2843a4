"""No secret, password, API key or IBAN in the logs of a full run: a batch through the production
configuration with every secret configured, with the error paths taken too (Odoo unreachable, the S3
server cut off for a moment), and the logs of the workers and of the command-line runs around them
searched for each configured secret and for every IBAN (the world's bank accounts, and anything that
passes the IBAN checksum)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.identifiers import iban_valid
from tests.faults.harness import Servers, batch, scenario

pytestmark = [pytest.mark.servers, pytest.mark.slow]

SECRETS = {
    "PAYABLES_DATABASE_PASSWORD": "pg-Secret-7f3a9c",  # trust authentication ignores it; a leak would not
    "PAYABLES_SECRET_KEY": "app-secret-key-d41d8cd98f00b204e9800998ecf8427e",
}
IBAN_SHAPE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")


def _world_ibans(world: Path) -> set[str]:
    snapshot = json.loads((world / "snapshot.json").read_text(encoding="utf-8"))
    return {b["acc_number"].replace(" ", "") for b in snapshot["models"].get("res.partner.bank", [])}


def test_logs_of_a_full_run_hold_no_secret_and_no_iban(servers: Servers, tmp_path: Path) -> None:
    with scenario(servers, "log hygiene (secrets configured, errors taken)", tmp_path, settings=SECRETS) as sc:
        sc.start_worker()
        sc.start_worker()
        files = batch(servers.world, 8)
        sc.submit(files[:6])
        sc.wait_for("the batch under way", lambda: sc.any_in("extracted", "matched", "in_review", "posted"), 180)
        sc.sandbox.add_fault("down", times=6)
        servers.gate.close()
        time.sleep(4)
        servers.gate.open()
        sc.submit(files[6:], tries=3)
        cli_logs = []
        for args in (["-vv", "erp", "sync"], ["-vv", "db", "upgrade"]):
            run = subprocess.run([sys.executable, "-m", "payables", *args], env={**os.environ, **sc.env},
                                 capture_output=True, timeout=180)
            cli_logs.append(run.stdout.decode(errors="replace") + run.stderr.decode(errors="replace"))
        sc.settle()
        assert sc.check().clean
        logs = sc.logs() + "\n".join(cli_logs)

    assert "stage read of document" in logs, "the workers logged at info level"
    secrets = {**SECRETS, "PAYABLES_S3_SECRET_KEY": sc.env["PAYABLES_S3_SECRET_KEY"],
               "PAYABLES_ODOO_API_KEY": sc.env["PAYABLES_ODOO_API_KEY"]}
    leaked = [name for name, value in secrets.items() if value in logs]
    assert not leaked, f"secrets in the logs: {leaked}"
    compact = logs.replace(" ", "")
    known = [iban for iban in _world_ibans(servers.world) if iban in compact]
    assert not known, f"vendor IBANs in the logs: {known[:3]}"
    valid = sorted({m.group(0) for m in IBAN_SHAPE.finditer(logs) if iban_valid(m.group(0))})
    assert not valid, f"IBANs in the logs: {valid[:3]}"
