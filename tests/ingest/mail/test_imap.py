"""The IMAP poller against a real Dovecot: every message stored before it is marked and moved, nothing
taken twice, nothing lost across a crash or a UIDVALIDITY change."""

from __future__ import annotations

import dataclasses
import logging
import os
import ssl
import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Envelope, Intake, IntakeResult
from ingest.mail.imap import REFUSED_FLAG, SEEN, STORED_FLAG, Delivery, Mailbox, MailPoller
from models.documents import Document, Submission
from models.errors import ConfigurationError
from models.states import DocumentState
from tests.ingest import samples
from tests.ingest.mail import messages
from tests.ingest.mail.conftest import MailboxUnderTest


class SimulatedCrash(BaseException):
    """The process dying: not an Exception, so nothing on the way catches it."""


def count(sessions: sessionmaker[Session], what: type[Document] | type[Submission]) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.count(what.id))) or 0)


def test_messages_are_stored_then_marked_seen_and_moved(mailbox: MailboxUnderTest, intake: Intake,
                                                       sessions: sessionmaker[Session]) -> None:
    name = "Rechnung Nr. 4711 – Müller & Söhne.pdf"
    mailbox.deliver(
        messages.invoice_mail([("INV-1.pdf", samples.pdf("1")), ("INV-2.pdf", samples.pdf("2"))],
                              subject="Invoices March", message_id="<march@medsupply.example>"),
        messages.forwarded(messages.pdf_mail(name, "4711")),
        messages.invoice_mail(inline=[("inline.pdf", samples.pdf("inline"))]),
    )
    with MailPoller(mailbox.mailbox, intake.register, sessions) as poller:
        deliveries = poller.poll()
    assert [d.outcome for d in deliveries] == ["stored", "stored", "stored"]
    taken = [[c.filename for c in d.result.children] for d in deliveries if d.result]
    assert taken == [["INV-1.pdf", "INV-2.pdf"], [name], ["inline.pdf"]]
    assert mailbox.uids(mailbox.mailbox.folder) == []
    assert mailbox.flags(f"{mailbox.mailbox.folder}-done") == [{SEEN, STORED_FLAG}] * 3
    with sessions() as s:
        eml = s.get(Document, deliveries[0].result.document_id if deliveries[0].result else 0)
        assert eml is not None and eml.state == DocumentState.SPLIT.value
        assert eml.media_type == "message/rfc822" and eml.filename == "Invoices March.eml"
        assert intake.store.exists(eml.object_key or "")
        assert eml.envelope["mail_from"] == "billing@medsupply.example"
        assert eml.envelope["mail_message_id"] == "<march@medsupply.example>"
        assert eml.envelope["mail_date"].startswith("Mon, 04 Mar 2024")
        assert eml.envelope["imap_uid"] == deliveries[0].uid
        sub = s.scalars(select(Submission).where(Submission.document_id == eml.id)).one()
        assert sub.source_ref == deliveries[0].ref
        assert sub.source_ref.endswith(f";UIDVALIDITY={eml.envelope['imap_uidvalidity']}/;UID={deliveries[0].uid}")
        forwarded = s.scalars(select(Document).where(Document.filename == name)).one()
        assert forwarded.envelope["forwarded_from"] == "billing@medsupply.example"
        assert forwarded.envelope["mail_from"] == "ward3@clinic.example"


def test_a_message_without_an_invoice_is_recorded_and_moved_not_dropped(
        mailbox: MailboxUnderTest, intake: Intake, sessions: sessionmaker[Session]) -> None:
    mailbox.deliver(messages.invoice_mail([], subject="Can we meet on Tuesday?"))
    with MailPoller(mailbox.mailbox, intake.register, sessions) as poller:
        (delivery,) = poller.poll()
    assert delivery.outcome == "refused"
    assert delivery.result is not None and "no invoice-like attachment" in (delivery.result.reason or "")
    assert "logo.png" in (delivery.result.reason or "")
    assert mailbox.flags(f"{mailbox.mailbox.folder}-done") == [{SEEN, STORED_FLAG, REFUSED_FLAG}]
    with sessions() as s:
        doc = s.get(Document, delivery.result.document_id)
        assert doc is not None and doc.state == DocumentState.REFUSED.value
        assert doc.envelope["mail_subject"] == "Can we meet on Tuesday?"


@pytest.mark.slow
def test_a_20_mb_attachment_arrives_whole(mailbox: MailboxUnderTest, intake: Intake,
                                         sessions: sessionmaker[Session]) -> None:
    big = b"%PDF-1.7\n" + os.urandom(20 * 1024 * 1024)
    mailbox.deliver(messages.invoice_mail([("scan-batch.pdf", big)], subject="Big scan"))
    with MailPoller(mailbox.mailbox, intake.register, sessions) as poller:
        (delivery,) = poller.poll()
    assert delivery.result is not None
    (child,) = delivery.result.children
    assert child.outcome == "stored" and child.filename == "scan-batch.pdf"
    with sessions() as s:
        doc = s.get(Document, child.document_id)
        assert doc is not None and doc.size == len(big)
        assert intake.store.get(doc.object_key or "") == big


def test_a_crash_between_store_and_mark_re_delivers_without_a_second_document(
        mailbox: MailboxUnderTest, intake: Intake, sessions: sessionmaker[Session],
        monkeypatch: pytest.MonkeyPatch) -> None:
    mailbox.deliver(messages.pdf_mail("C-1.pdf", "C-1"), messages.pdf_mail("C-2.pdf", "C-2"))

    def die(*_: object) -> None:
        raise SimulatedCrash

    with MailPoller(mailbox.mailbox, intake.register, sessions) as poller:
        monkeypatch.setattr(poller, "_finish", die)
        with pytest.raises(SimulatedCrash):
            poller.poll()
    # The first message's documents are stored; nothing is marked, nothing moved.
    assert (count(sessions, Document), count(sessions, Submission)) == (2, 2)
    assert mailbox.flags(mailbox.mailbox.folder) == [set(), set()]

    with MailPoller(mailbox.mailbox, intake.register, sessions) as restarted:
        deliveries = restarted.poll()
    assert [d.outcome for d in deliveries] == ["already stored", "stored"]
    # The first message was only marked (not fetched again, so no second submission either).
    assert (count(sessions, Document), count(sessions, Submission)) == (4, 4)
    assert mailbox.uids(mailbox.mailbox.folder) == []
    assert mailbox.flags(f"{mailbox.mailbox.folder}-done") == [{SEEN, STORED_FLAG}] * 2


def test_after_a_uidvalidity_change_messages_left_behind_become_duplicates(
        mailbox: MailboxUnderTest, intake: Intake, sessions: sessionmaker[Session],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    mailbox.deliver(messages.pdf_mail("U-1.pdf", "U-1"))
    poller = MailPoller(mailbox.mailbox, intake.register, sessions)
    with monkeypatch.context() as patch:
        patch.setattr(poller, "_finish", lambda *_: (_ for _ in ()).throw(SimulatedCrash()))
        with pytest.raises(SimulatedCrash):
            poller.poll()
    first_ref = _refs(sessions)[0]
    poller.close()

    mailbox.set_uidvalidity(1_000_000_007)  # the server rebuilt its index: every UID is new
    mailbox.deliver(messages.pdf_mail("U-2.pdf", "U-2"))
    with caplog.at_level(logging.WARNING, logger="payables.mail"):
        deliveries = poller.poll()
    poller.close()
    assert [d.outcome for d in deliveries] == ["duplicate", "stored"]
    assert all(";UIDVALIDITY=1000000007/;" in d.ref for d in deliveries)
    assert "UIDVALIDITY" in caplog.text
    with sessions() as s:
        outcomes = s.execute(select(Submission.source_ref, Submission.outcome)
                             .where(~Submission.source_ref.contains("#")).order_by(Submission.id)).all()
        assert [(o, ref == first_ref) for ref, o in outcomes] == [("stored", True), ("duplicate", False),
                                                                   ("stored", False)]
        assert s.scalar(select(func.count(Document.id)).where(Document.filename == "U-1.pdf")) == 1
    assert mailbox.uids(mailbox.mailbox.folder) == []


def test_without_a_processed_folder_messages_stay_flagged_and_are_not_taken_again(
        mailbox: MailboxUnderTest, intake: Intake, sessions: sessionmaker[Session]) -> None:
    box = dataclasses.replace(mailbox.mailbox, processed_folder=None)
    mailbox.deliver(messages.pdf_mail("F-1.pdf", "F-1"))
    with MailPoller(box, intake.register, sessions) as poller:
        assert [d.outcome for d in poller.poll()] == ["stored"]
        assert poller.poll() == []
    assert mailbox.flags(box.folder) == [{SEEN, STORED_FLAG}]
    assert count(sessions, Submission) == 2  # the message and its PDF, once


def test_one_message_that_cannot_be_taken_does_not_hold_up_the_rest(
        mailbox: MailboxUnderTest, intake: Intake, sessions: sessionmaker[Session]) -> None:
    mailbox.deliver(messages.pdf_mail("P-1.pdf", "P-1", subject="poison"), messages.pdf_mail("P-2.pdf", "P-2"))

    def submit(data: bytes, envelope: Envelope) -> IntakeResult:
        if envelope.meta["mail_subject"] == "poison":
            raise ValueError("a bug met on this message")
        return intake.register(data, envelope)

    with MailPoller(mailbox.mailbox, submit, sessions) as poller:
        assert [d.result.children[0].filename for d in poller.poll() if d.result] == ["P-2.pdf"]
    assert len(mailbox.uids(mailbox.mailbox.folder)) == 1
    assert mailbox.flags(mailbox.mailbox.folder) == [set()]  # left unread for the next poll


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_connections_verify_the_server_certificate(mailbox: MailboxUnderTest, intake: Intake,
                                                       sessions: sessionmaker[Session], security: str) -> None:
    server = mailbox.server
    port = server.ssl_port if security == "ssl" else server.port
    trusting = ssl.create_default_context(cafile=str(server.ca_file))
    box = dataclasses.replace(mailbox.mailbox, security=security, port=port, ssl_context=trusting)
    mailbox.deliver(messages.pdf_mail("S-1.pdf", "S-1"))
    with MailPoller(box, intake.register, sessions) as poller:
        assert [d.outcome for d in poller.poll()] == ["stored"]
    untrusting = dataclasses.replace(box, ssl_context=ssl.create_default_context())
    with pytest.raises(ConfigurationError, match=r"certificate of 127\.0\.0\.1 is not trusted"):
        MailPoller(untrusting, intake.register, sessions).connect()


def test_a_wrong_password_and_plain_text_to_a_remote_host_are_configuration_errors(
        mailbox: MailboxUnderTest, intake: Intake, sessions: sessionmaker[Session]) -> None:
    wrong = dataclasses.replace(mailbox.mailbox, password="not-the-password")
    with pytest.raises(ConfigurationError, match=r"refused the login of ap@clinic\.example"):
        MailPoller(wrong, intake.register, sessions).connect()
    with pytest.raises(ConfigurationError, match="password in clear"):
        Mailbox(host="mail.clinic.example", user="ap", password="x", security="plain")


def test_running_poller_takes_new_mail_as_it_arrives(mailbox: MailboxUnderTest, intake: Intake,
                                                    sessions: sessionmaker[Session]) -> None:
    arrived: list[Delivery] = []
    got_one = threading.Event()
    stop = threading.Event()

    def seen(delivery: Delivery) -> None:
        arrived.append(delivery)
        got_one.set()

    poller = MailPoller(mailbox.mailbox, intake.register, sessions)
    thread = threading.Thread(target=poller.run, args=(stop,), kwargs={"interval_s": 120, "on_delivery": seen})
    thread.start()
    try:
        time.sleep(1.0)  # idling by now: only IDLE can bring the message in before the 120 s interval
        mailbox.deliver(messages.pdf_mail("R-1.pdf", "R-1"))
        assert got_one.wait(15), "the running poller did not take the new message"
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert [d.outcome for d in arrived] == ["stored"]


def _refs(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as s:
        return [r for r in s.scalars(select(Submission.source_ref).order_by(Submission.id)) if r and "#" not in r]


def test_servers_without_move_get_copy_flag_and_uid_expunge(mailbox: MailboxUnderTest, intake: Intake,
                                                           sessions: sessionmaker[Session],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    mailbox.deliver(messages.pdf_mail("M-1.pdf", "M-1"), messages.pdf_mail("M-2.pdf", "M-2"))
    with MailPoller(mailbox.mailbox, intake.register, sessions) as poller:
        client = poller.connect()
        real = client.has_capability
        monkeypatch.setattr(client, "has_capability", lambda name: name.upper() != "MOVE" and real(name))
        assert [d.outcome for d in poller.poll()] == ["stored", "stored"]
    assert mailbox.uids(mailbox.mailbox.folder) == []  # expunged, not merely flagged deleted
    assert mailbox.flags(f"{mailbox.mailbox.folder}-done") == [{SEEN, STORED_FLAG}] * 2
