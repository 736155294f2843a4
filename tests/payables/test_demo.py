"""`payables demo` runs a generated world through the whole pipeline and accounts for every invoice."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.slow


def test_the_demo_processes_its_world_posts_the_clean_invoices_and_names_its_users(tmp_path: Path) -> None:
    env = {**os.environ, "PAYABLES_DATA_DIR": str(tmp_path / "var"), "OMP_THREAD_LIMIT": "1"}
    run = subprocess.run([sys.executable, "-m", "payables", "demo", "--vendors", "12", "--invoices", "8",
                          "--no-serve"], env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    out = run.stdout
    processed = int(re.search(r"(\d+) documents processed", out).group(1))  # type: ignore[union-attr]
    states = {m.group(1): int(m.group(2)) for m in re.finditer(r"^    ([a-z_]+)\s+(\d+)$", out, re.M)}
    assert processed >= 8 and sum(states.values()) == processed
    assert set(states) <= {"posted", "in_review", "refused", "failed"}, states
    assert states.get("failed", 0) == 0
    posted = int(re.search(r"posted to Odoo on their own: (\d+)", out).group(1))  # type: ignore[union-attr]
    bills = int(re.search(r"new vendor bills in the sandbox Odoo: (\d+)", out).group(1))  # type: ignore[union-attr]
    assert posted == bills  # every auto-approved invoice became exactly one bill


def test_the_demo_prints_its_users_with_a_totp_secret_for_the_manager(tmp_path: Path) -> None:
    from payables.cli.demo import _print_users
    from payables.demo import Credentials

    runner = CliRunner()
    users = [Credentials("martin", "manager", "a-b-c", None, "JBSWY3DPEHPK3PXP"),
             Credentials("hanna", "clerk", "d-e-f", None, None, ["KLI"])]
    result = runner.invoke(_click_wrapper(_print_users, users), [])
    assert "martin" in result.output and "TOTP secret JBSWY3DPEHPK3PXP" in result.output
    assert "site KLI only" in result.output and "http://127.0.0.1:8000/" in result.output


def _click_wrapper(fn: object, users: list[object]) -> object:
    import click

    @click.command()
    def wrapped() -> None:
        fn(users, 8000)  # type: ignore[operator]

    return wrapped
