"""``payables user add|sites``, ``payables users report``, ``payables audit verify|export`` on the embedded
defaults (a SQLite file and a folder store under PAYABLES_DATA_DIR)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from payables.cli import cli


@pytest.fixture
def data_dir(tmp_path: Path, migrated_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import shutil

    data = tmp_path / "var"
    data.mkdir()
    shutil.copy(migrated_db, data / "payables.db")
    monkeypatch.setenv("PAYABLES_DATA_DIR", str(data))
    monkeypatch.setenv("PAYABLES_SECRET_KEY", "cli-test-secret-0123456789abcdef")
    return data


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_users_are_added_and_reported_and_the_audit_chain_verifies(data_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a long enough passphrase\n")
    code, out = _run("user", "add", "alice", "--role", "clerk", "--limit", "5000", "--password-file", str(secret))
    assert code == 0 and "created alice (clerk, approval limit 5000, all sites)" in out and "TOTP" not in out
    code, out = _run("user", "add", "Mia", "--role", "manager", "--limit", "50,000", "--password-file", str(secret))
    assert code == 0 and "TOTP secret: " in out and "otpauth://totp/payables:mia?secret=" in out
    code, out = _run("user", "add", "mia", "--role", "clerk", "--password-file", str(secret))
    assert code != 0 and "already a user called mia" in out
    code, out = _run("users", "report")
    lines = out.splitlines()
    assert lines[0].split() == ["user", "name", "role", "approval_limit", "sites", "state", "last_sign_in", "mfa",
                                "open_sessions"]
    assert lines[1].split()[:6] == ["alice", "alice", "clerk", "5000.00", "all", "active"]
    assert "enrolled" in lines[2] and "50000.00" in lines[2]
    code, out = _run("audit", "verify")
    assert code == 0 and out.strip() == "audit chain intact: 2 entries"
    code, out = _run("audit", "export", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["action"] for r in rows] == ["user_created", "user_created", "audit_export"]


def test_a_changed_entry_breaks_the_chain_and_verify_says_where(data_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a long enough passphrase")
    for name in ("a1", "a2", "a3"):
        _run("user", "add", name, "--role", "clerk", "--password-file", str(secret))
    with sqlite3.connect(data_dir / "payables.db") as conn:
        conn.execute("UPDATE audit_log SET reason = 'nothing to see' WHERE id = 2")
    code, out = _run("audit", "verify")
    assert code == 1 and "BROKEN at entry 2" in out and "does not match its hash" in out


def test_a_weak_password_is_refused(data_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("short")
    code, out = _run("user", "add", "bob", "--role", "clerk", "--password-file", str(secret))
    assert code != 0 and "at least 12 characters" in out


def test_sites_are_set_at_creation_changed_reported_and_audited(data_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a long enough passphrase")
    with sqlite3.connect(data_dir / "payables.db") as conn:  # a warehouse the ERP sync brought in
        conn.execute("INSERT INTO erp_sites (id, name, code, synced_at) VALUES (3, 'Klinik Hamburg', 'HAM', "
                     "'2025-01-01 00:00:00')")
    code, out = _run("user", "add", "hanna", "--role", "clerk", "--limit", "5000", "--sites", "ham, BER ",
                     "--password-file", str(secret))
    # "ham" takes the ERP's spelling; BER is kept but named as unknown (a typo shows up at once).
    assert code == 0 and "created hanna (clerk, approval limit 5000, sites BER,HAM)" in out, out
    assert "no warehouse or document has the site BER yet" in out and "known: HAM" in out
    code, out = _run("user", "add", "zed", "--role", "clerk", "--sites", ",", "--password-file", str(secret))
    assert code != 0 and "is not a site code" in out
    code, out = _run("user", "sites", "hanna", "HAM")
    assert code == 0 and "hanna: sites BER,HAM -> HAM" in out and "warning" not in out
    code, out = _run("user", "sites", "hanna", "HAM")
    assert code != 0 and "already works for sites HAM" in out
    code, out = _run("user", "sites", "nobody", "all")
    assert code != 0 and "there is no user 'nobody'" in out
    code, out = _run("users", "report", "--csv")
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["user"], row["sites"]) == ("hanna", "HAM")
    code, out = _run("user", "sites", "hanna", "all")
    assert code == 0 and "hanna: sites HAM -> all" in out
    code, out = _run("users", "report", "--csv")
    assert next(csv.DictReader(io.StringIO(out)))["sites"] == "all"
    code, out = _run("audit", "export", "--csv")
    changes = [json.loads(r["changes"]) for r in csv.DictReader(io.StringIO(out))
               if r["action"] in ("user_created", "user_sites_changed")]
    assert [c["sites"] for c in changes] == [["BER", "HAM"], {"from": ["BER", "HAM"], "to": ["HAM"]},
                                             {"from": ["HAM"], "to": "all"}]
    code, out = _run("audit", "verify")
    assert code == 0 and out.strip() == "audit chain intact: 4 entries"  # and the export itself
