"""Intake stores the original first, dedupes by content, and accounts for every file it was given."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Envelope, Intake
from models.audit import AuditEntry, verify_chain
from models.documents import Document, Submission
from models.states import DocumentState
from tests.ingest import samples


def test_a_new_pdf_is_stored_before_it_is_registered(intake: Intake, sessions: sessionmaker[Session]) -> None:
    data = samples.pdf()
    result = intake.register(data, Envelope(source="upload", filename="inv.pdf"))
    assert result.outcome == "stored" and result.to_process == [result.document_id]
    with sessions() as s:
        doc = s.get(Document, result.document_id)
        assert doc is not None
        assert (doc.state, doc.media_type, doc.size) == ("stored", "application/pdf", len(data))
        assert doc.filename == "inv.pdf"
        assert intake.store.get(doc.object_key or "") == data


def test_identical_bytes_make_no_second_document(intake: Intake, sessions: sessionmaker[Session]) -> None:
    data = samples.pdf("Invoice 7")
    first = intake.register(data, Envelope(source="email", filename="a.pdf"))
    again = intake.register(data, Envelope(source="folder", filename="b.pdf"))
    assert again.outcome == "duplicate" and again.document_id == first.document_id
    assert again.to_process == []
    assert "received before as document" in (again.reason or "")
    with sessions() as s:
        assert s.scalar(select(func.count(Document.id))) == 1
        outcomes = s.scalars(select(Submission.outcome).order_by(Submission.id)).all()
        assert outcomes == ["stored", "duplicate"]


def test_empty_and_oversized_files_are_refused_with_a_reason(intake: Intake, sessions: sessionmaker[Session]) -> None:
    empty = intake.register(b"", Envelope(source="upload", filename="empty.pdf"))
    big = intake.register(b"%PDF-" + b"0" * 2_100_000, Envelope(source="upload", filename="big.pdf"))
    assert empty.outcome == big.outcome == "refused"
    assert "empty" in (empty.reason or "")
    assert "limit is 2 MB" in (big.reason or "")
    with sessions() as s:
        assert s.scalar(select(func.count(Document.id))) == 0
        reasons = s.scalars(select(Submission.reason).where(Submission.outcome == "refused")).all()
        assert len(reasons) == 2


def test_an_executable_named_pdf_is_kept_as_evidence_and_refused(
        intake: Intake, sessions: sessionmaker[Session]) -> None:
    result = intake.register(b"MZ\x90\x00" + b"\x00" * 500, Envelope(source="upload", filename="invoice.pdf"))
    assert result.outcome == "refused"
    assert "Windows executable" in (result.reason or "")
    with sessions() as s:
        doc = s.get(Document, result.document_id)
        assert doc is not None and doc.state == DocumentState.REFUSED.value
        assert doc.failure_reason == result.reason
        assert intake.store.exists(doc.object_key or "")


def test_path_traversal_and_control_characters_leave_a_plain_name(
        intake: Intake, sessions: sessionmaker[Session]) -> None:
    result = intake.register(samples.pdf("x"), Envelope(source="upload", filename="../../etc/pass\x07wd.pdf"))
    with sessions() as s:
        doc = s.get(Document, result.document_id)
        assert doc is not None and doc.filename == "pass_wd.pdf"
        assert "../../etc" in doc.envelope["original_filename"]


def test_a_zip_is_unpacked_into_its_files(intake: Intake, sessions: sessionmaker[Session]) -> None:
    archive = samples.zip_of({"one.pdf": samples.pdf("one"), "two.png": samples.png(), "notes.txt": b"hello"})
    result = intake.register(archive, Envelope(source="upload", filename="batch.zip"))
    outcomes = sorted((c.filename, c.outcome) for c in result.children)
    assert outcomes == [("notes.txt", "refused"), ("one.pdf", "stored"), ("two.png", "stored")]
    assert len(result.to_process) == 2
    with sessions() as s:
        container = s.get(Document, result.document_id)
        assert container is not None and container.state == DocumentState.SPLIT.value
        children = s.scalars(select(Document).where(Document.parent_id == result.document_id)).all()
        assert len(children) == 3


def test_a_zip_bomb_is_refused(intake: Intake) -> None:
    bomb = samples.zip_of({"bomb.pdf": b"%PDF-" + b"\x00" * 9_000_000})
    result = intake.register(bomb, Envelope(source="email", filename="bomb.zip"))
    assert result.outcome == "refused"
    assert "bomb" in (result.reason or "") or "limit" in (result.reason or "")


def test_an_email_yields_its_invoice_attachments(intake: Intake) -> None:
    raw = samples.email_with({"INV-1.pdf": samples.pdf("INV-1"), "INV-2.pdf": samples.pdf("INV-2")})
    result = intake.register(raw, Envelope(source="email", source_ref="imap:1:1"))
    assert result.outcome == "stored" and len(result.to_process) == 2
    assert all(c.outcome == "stored" for c in result.children)


def test_an_email_without_attachment_is_recorded_not_dropped(intake: Intake, sessions: sessionmaker[Session]) -> None:
    result = intake.register(samples.email_with({}, subject="Hello"), Envelope(source="email"))
    assert result.outcome == "refused"
    assert "no invoice-like attachment" in (result.reason or "")
    with sessions() as s:
        doc = s.get(Document, result.document_id)
        assert doc is not None and doc.state == DocumentState.REFUSED.value
        assert doc.envelope.get("mail_subject") == "Hello"


def test_every_intake_step_is_in_an_unbroken_audit_chain(intake: Intake, sessions: sessionmaker[Session]) -> None:
    intake.register(samples.pdf("a"), Envelope(source="upload"))
    intake.register(samples.pdf("a"), Envelope(source="upload"))
    intake.register(b"", Envelope(source="upload"))
    with sessions() as s:
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [e.action for e in entries] == ["received", "duplicate_submission", "refused"]
        assert verify_chain(entries).ok


def test_an_email_whose_unpacking_was_interrupted_is_finished_on_redelivery(
        intake: Intake, sessions: sessionmaker[Session]) -> None:
    raw = samples.email_with({"INV-3.pdf": samples.pdf("INV-3")})
    # The first delivery stored the message and died before unpacking it.
    digest_result = intake.store.put(raw, content_type="message/rfc822")
    with sessions() as s, s.begin():
        s.add(Document(sha256=digest_result.sha256, size=len(raw), media_type="message/rfc822",
                       object_key=digest_result.key, source="email", state=DocumentState.STORED.value))
    again = intake.register(raw, Envelope(source="email", source_ref="imap://x/INBOX;UIDVALIDITY=1/;UID=9"))
    assert again.outcome == "duplicate"
    assert [c.outcome for c in again.children] == ["stored"] and len(again.to_process) == 1
    third = intake.register(raw, Envelope(source="email"))
    assert third.children == [] and third.to_process == []
