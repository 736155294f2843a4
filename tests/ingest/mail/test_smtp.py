"""Mail received over SMTP is stored before the sender hears 250, and a failure to store says 451."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Envelope, Intake, IntakeResult
from ingest.mail.smtp import make_controller
from models.documents import Document, Submission
from models.errors import StorageError
from tests.ingest import samples
from tests.ingest.mail import messages
from tests.support.servers import free_port


@pytest.fixture
def smtp(intake: Intake) -> Iterator[Controller]:
    controller = make_controller(intake.register, host="127.0.0.1", port=free_port(), max_bytes=5_000_000,
                                 accept=["ap@clinic.example", "@invoices.clinic.example"])
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def send(controller: Controller, raw: bytes, to: str = "ap@clinic.example") -> None:
    raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # on the wire, lines end in CRLF
    with smtplib.SMTP(controller.hostname, controller.port, timeout=20) as client:
        client.sendmail("billing@medsupply.example", [to], raw)


def test_a_message_is_stored_with_its_smtp_envelope_and_a_resend_is_a_duplicate(
        smtp: Controller, sessions: sessionmaker[Session]) -> None:
    raw = messages.pdf_mail("SM-1.pdf", "SM-1", subject="Invoice SM-1").as_bytes()
    send(smtp, raw, to="Payables@Invoices.Clinic.Example")
    send(smtp, raw)
    with sessions() as s:
        eml = s.scalars(select(Document).where(Document.media_type == "message/rfc822")).one()
        assert eml.filename == "Invoice SM-1.eml" and eml.state == "split"
        assert eml.envelope["smtp_mail_from"] == "billing@medsupply.example"
        assert eml.envelope["smtp_rcpt_to"] == ["Payables@Invoices.Clinic.Example"]
        assert eml.envelope["smtp_peer"] == "127.0.0.1"
        assert eml.envelope["mail_subject"] == "Invoice SM-1"
        pdf = s.scalars(select(Document).where(Document.filename == "SM-1.pdf")).one()
        assert pdf.envelope["mail_from"] == "billing@medsupply.example"
        outcomes = s.scalars(select(Submission.outcome).where(Submission.document_id == eml.id)
                             .order_by(Submission.id)).all()
        assert outcomes == ["stored", "duplicate"]


def test_other_recipients_are_refused(smtp: Controller) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(smtp, messages.pdf_mail().as_bytes(), to="ceo@clinic.example")
    assert refused.value.recipients["ceo@clinic.example"][0] == 550


def test_when_storing_fails_the_sender_is_told_to_try_again(intake: Intake) -> None:
    def store_down(data: bytes, envelope: Envelope) -> IntakeResult:
        raise StorageError("the object store is not reachable")

    controller = make_controller(store_down, host="127.0.0.1", port=free_port(), max_bytes=5_000_000)
    controller.start()
    try:
        with pytest.raises(smtplib.SMTPDataError) as answer:
            send(controller, messages.pdf_mail().as_bytes())
    finally:
        controller.stop()
    assert answer.value.smtp_code == 451


def test_a_message_over_the_size_limit_is_rejected_at_the_door(smtp: Controller,
                                                              sessions: sessionmaker[Session]) -> None:
    huge = messages.invoice_mail([("big.pdf", samples.pdf() + b"\0" * 6_000_000)]).as_bytes()
    with pytest.raises(smtplib.SMTPSenderRefused) as answer:  # the size is announced and refused first
        send(smtp, huge)
    assert answer.value.smtp_code == 552
    with sessions() as s:
        assert s.scalars(select(Submission)).all() == []
