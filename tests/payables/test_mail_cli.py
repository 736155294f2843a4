"""`payables mail poll --once` against a real Dovecot (one line per document, the mailbox left tidy) and
`payables mail serve` as a service."""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
from pathlib import Path

from imapclient import IMAPClient
from sqlalchemy import create_engine, select

from models.documents import Document
from tests.ingest.mail import messages
from tests.support.dovecot import Dovecot
from tests.support.servers import free_port, wait_for_port


def poll_once(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "payables", "mail", "poll", "--once", "--timeout", "120"],
                          env=env, capture_output=True, text=True, timeout=300)


def test_mail_poll_once_stores_reports_and_moves_each_message(dovecot: Dovecot, tmp_path: Path) -> None:
    folder = dovecot.unique_folder("cli")
    client = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=20)
    client.login(dovecot.user, dovecot.password)
    client.create_folder(folder)
    client.append(folder, messages.pdf_mail("INV-77.pdf", "Invoice 77", subject="Invoice 77").as_bytes())
    client.append(folder, messages.invoice_mail([], subject="Lunch on Friday?").as_bytes())
    secret = tmp_path / "imap_password"
    secret.write_text(dovecot.password + "\n")
    env = {**os.environ, "PAYABLES_DATA_DIR": str(tmp_path / "var"), "PAYABLES_STAGE_MAX_RETRIES": "0",
           "PAYABLES_IMAP_HOST": "127.0.0.1", "PAYABLES_IMAP_PORT": str(dovecot.port),
           "PAYABLES_IMAP_SECURITY": "plain", "PAYABLES_IMAP_USER": dovecot.user,
           "PAYABLES_IMAP_PASSWORD_FILE": str(secret), "PAYABLES_IMAP_FOLDER": folder,
           "PAYABLES_IMAP_PROCESSED_FOLDER": f"{folder}/done"}

    run = poll_once(env)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = [line.split("\t") for line in run.stdout.splitlines()]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (f"{folder} UID 1", "stored", "#1"), (f"{folder} UID 1 › INV-77.pdf", "stored", "#2"),
        (f"{folder} UID 2", "refused", "#3")]
    assert rows[0][3] == "split" and "no invoice-like attachment" in rows[2][4]
    assert "2 message(s) taken" in run.stderr

    again = poll_once(env)
    assert again.returncode == 0 and again.stdout == "" and "0 message(s) taken" in again.stderr
    client.select_folder(folder, readonly=True)
    assert client.search("ALL") == []
    client.select_folder(f"{folder}/done", readonly=True)
    assert len(client.search("SEEN")) == 2
    client.logout()


def test_mail_poll_without_a_mailbox_says_what_to_set(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYABLES_IMAP_")}
    env["PAYABLES_DATA_DIR"] = str(tmp_path / "var")
    run = poll_once(env)
    assert run.returncode == 2
    assert "error: no mailbox configured: set PAYABLES_IMAP_HOST" in run.stderr


def test_mail_serve_stores_what_it_receives_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PAYABLES_DATA_DIR": str(tmp_path / "var"), "PAYABLES_STAGE_MAX_RETRIES": "0"}
    service = subprocess.Popen([sys.executable, "-m", "payables", "mail", "serve", "--port", str(port),
                                "--accept", "ap@clinic.example"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, 60, service)  # type: ignore[arg-type]  (a text-mode Popen serves as well)
        raw = messages.pdf_mail("SMTP-1.pdf", "SMTP 1").as_bytes().replace(b"\n", b"\r\n")
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            refused = client.sendmail("billing@medsupply.example", ["ap@clinic.example"], raw)
    finally:
        service.send_signal(signal.SIGTERM)
        _, err = service.communicate(timeout=60)
    assert refused == {} and service.returncode == 0, err[-3000:]
    assert "receiving mail for ap@clinic.example" in err
    engine = create_engine(f"sqlite:///{tmp_path / 'var' / 'payables.db'}")
    with engine.connect() as db:
        rows = db.execute(select(Document.filename, Document.source).order_by(Document.id)).all()
    assert [tuple(r) for r in rows] == [("Invoice.eml", "email"), ("SMTP-1.pdf", "email")]
