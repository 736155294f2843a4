"""A fresh pair of folders per test on the session's Dovecot, and intake at production limits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from imapclient import IMAPClient
from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Intake, IntakeLimits
from ingest.mail.imap import Mailbox
from ingest.storage.local import LocalStore
from tests.support.dovecot import Dovecot


@pytest.fixture
def intake(sessions: sessionmaker[Session], tmp_path: Path) -> Intake:
    """The default 50 MB limit, so a 20 MB attachment is an ordinary message."""
    return Intake(sessions, LocalStore(tmp_path / "objects"), IntakeLimits())


@dataclass
class MailboxUnderTest:
    """The folders one test polls, with a client of its own to put mail in and look afterwards."""

    server: Dovecot
    mailbox: Mailbox
    client: IMAPClient

    def deliver(self, *messages: EmailMessage | bytes) -> None:
        for msg in messages:
            raw = msg if isinstance(msg, bytes) else msg.as_bytes()
            self.client.append(self.mailbox.folder, raw)

    def uids(self, folder: str) -> list[int]:
        self.client.select_folder(folder, readonly=True)
        return sorted(self.client.search("ALL"))

    def flags(self, folder: str) -> list[set[bytes]]:
        self.client.select_folder(folder, readonly=True)
        found = self.client.get_flags(self.client.search("ALL"))
        return [set(found[uid]) - {b"\\Recent"} for uid in sorted(found)]

    def set_uidvalidity(self, value: int) -> None:
        self.server.doveadm("mailbox", "update", "-u", self.server.user, "--uid-validity", str(value),
                            self.mailbox.folder)


@pytest.fixture
def mailbox(dovecot: Dovecot) -> Iterator[MailboxUnderTest]:
    folder = dovecot.unique_folder("ap")
    box = Mailbox(host="127.0.0.1", port=dovecot.port, user=dovecot.user, password=dovecot.password,
                  security="plain", folder=folder, processed_folder=f"{folder}-done", timeout_s=20)
    client = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=20)
    client.login(dovecot.user, dovecot.password)
    client.create_folder(folder)
    try:
        yield MailboxUnderTest(dovecot, box, client)
    finally:
        client.logout()
