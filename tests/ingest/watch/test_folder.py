"""The scanner drop folder: a file is taken only when complete, archived only after it is stored, and
never taken twice, also across a restart."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Intake
from ingest.watch.folder import FolderWatcher
from models.documents import Document, Submission
from tests.ingest import samples


class SimulatedCrash(BaseException):
    """The process dying: not an Exception, so nothing on the way catches it."""


def drop(folder: Path, name: str, data: bytes, *, age_s: float = 60.0) -> Path:
    """A file as a scanner leaves it; ``age_s`` back-dates it as if copied in whole a while ago."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if age_s:
        then = time.time() - age_s
        os.utime(path, (then, then))
    return path


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


@pytest.fixture
def scans(tmp_path: Path) -> Path:
    folder = tmp_path / "scans"
    folder.mkdir()
    return folder


def watcher(scans: Path, intake: Intake, sessions: sessionmaker[Session], **kwargs: float) -> FolderWatcher:
    return FolderWatcher(scans, intake.register, sessions, **kwargs)  # type: ignore[arg-type]


def counts(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with sessions() as s:
        return (int(s.scalar(select(func.count(Document.id))) or 0),
                int(s.scalar(select(func.count(Submission.id))) or 0))


def test_a_complete_scan_is_stored_then_archived(scans: Path, intake: Intake,
                                                 sessions: sessionmaker[Session]) -> None:
    data = samples.pdf("scan 1")
    drop(scans, "ward 3/scan_0001.pdf", data)
    (taken,) = watcher(scans, intake, sessions).poll()
    assert taken.outcome == "stored"
    assert taken.archived_to == scans / ".archive" / today() / "ward 3" / "scan_0001.pdf"
    assert taken.archived_to.read_bytes() == data
    assert not (scans / "ward 3" / "scan_0001.pdf").exists()
    assert taken.ref.startswith(f"file://{scans}/ward%203/scan_0001.pdf?sha256=")
    with sessions() as s:
        doc = s.scalars(select(Document)).one()
        assert (doc.source, doc.filename, doc.state) == ("folder", "scan_0001.pdf", "stored")
        assert doc.envelope["relative_path"] == "ward 3/scan_0001.pdf"
        assert intake.store.get(doc.object_key or "") == data


def test_a_file_still_being_written_waits_until_its_size_settles(scans: Path, intake: Intake,
                                                                sessions: sessionmaker[Session]) -> None:
    w = watcher(scans, intake, sessions, settle_s=0.4)
    xml = b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
    path = drop(scans, "einvoice.xml", xml, age_s=0)
    assert w.poll() == []  # just written
    time.sleep(0.25)
    with path.open("ab") as fh:
        fh.write(b"<ID>1</ID></Invoice>")
    assert w.poll() == []  # it grew: the clock starts again
    time.sleep(0.25)
    assert w.poll() == []  # not yet settle_s since it last changed
    time.sleep(0.25)
    (taken,) = w.poll()
    assert taken.outcome == "stored" and taken.archived_to is not None
    assert taken.archived_to.read_bytes().endswith(b"</Invoice>")


def test_a_pdf_without_its_end_marker_is_not_taken_even_when_the_writer_pauses(
        scans: Path, intake: Intake, sessions: sessionmaker[Session]) -> None:
    whole = samples.pdf("slow scanner")
    cut = whole.rindex(b"%%EOF")
    path = drop(scans, "slow.pdf", whole[:cut], age_s=120)  # a network scanner stalled mid-file
    w = watcher(scans, intake, sessions, settle_s=0.2)
    assert w.poll() == [] and path.exists()
    with path.open("ab") as fh:
        fh.write(whole[cut:])
    assert w.poll() == []  # it changed just now
    time.sleep(0.25)
    (taken,) = w.poll()
    assert taken.outcome == "stored" and counts(sessions) == (1, 1)


def test_temporary_names_are_left_alone_until_renamed(scans: Path, intake: Intake,
                                                      sessions: sessionmaker[Session]) -> None:
    w = watcher(scans, intake, sessions)
    for name in (".scan_0002.pdf.XyZ12", "scan_0002.pdf.part", "scan_0002.pdf.tmp"):
        drop(scans, name, samples.pdf(name))
    assert w.poll() == []
    os.rename(scans / "scan_0002.pdf.part", scans / "scan_0002.pdf")  # the tool is done: moved in
    assert [t.path.name for t in w.poll()] == ["scan_0002.pdf"]


def test_a_restart_between_storing_and_archiving_does_not_take_the_file_again(
        scans: Path, intake: Intake, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    drop(scans, "a.pdf", samples.pdf("a"))
    drop(scans, "b.pdf", samples.pdf("b"), age_s=30)
    crashing = watcher(scans, intake, sessions)

    def die(_path: Path) -> Path:
        raise SimulatedCrash

    monkeypatch.setattr(crashing, "_archive", die)
    with pytest.raises(SimulatedCrash):
        crashing.poll()
    assert counts(sessions) == (1, 1) and (scans / "a.pdf").exists()

    restarted = watcher(scans, intake, sessions)
    assert [(t.path.name, t.outcome) for t in restarted.poll()] == [("a.pdf", "already stored"), ("b.pdf", "stored")]
    assert counts(sessions) == (2, 2)
    assert sorted(p.name for p in (scans / ".archive" / today()).iterdir()) == ["a.pdf", "b.pdf"]
    assert restarted.poll() == []


def test_a_name_the_scanner_reuses_is_a_new_file_and_the_same_bytes_again_a_duplicate(
        scans: Path, intake: Intake, sessions: sessionmaker[Session]) -> None:
    w = watcher(scans, intake, sessions)
    drop(scans, "scan_0001.pdf", samples.pdf("Monday"))
    drop(scans, "other.pdf", samples.pdf("other"))
    assert [t.outcome for t in w.poll()] == ["stored", "stored"]
    drop(scans, "scan_0001.pdf", samples.pdf("Tuesday"))
    assert [t.outcome for t in w.poll()] == ["stored"]
    drop(scans, "scan_0001.pdf", samples.pdf("Monday"))
    (again,) = w.poll()
    assert again.outcome == "duplicate" and again.archived_to is not None
    assert again.archived_to.name == "scan_0001-2.pdf"  # the earlier two keep their archive names
    assert counts(sessions) == (3, 4)


def test_junk_is_recorded_as_refused_and_archived_not_left_to_loop(scans: Path, intake: Intake,
                                                                   sessions: sessionmaker[Session]) -> None:
    drop(scans, "Thumbs.db", b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    drop(scans, "notes.txt", b"call the vendor back about the credit note")
    taken = watcher(scans, intake, sessions).poll()
    assert sorted(t.outcome for t in taken) == ["refused", "refused"]
    assert list(p for p in scans.iterdir() if p.name != ".archive") == []
    with sessions() as s:
        reasons = s.scalars(select(Submission.reason).order_by(Submission.id)).all()
        assert "legacy Microsoft Office" in (reasons[0] or "") and "plain text" in (reasons[1] or "")


def test_a_separate_archive_inside_the_folder_is_not_scanned_again(scans: Path, intake: Intake,
                                                                   sessions: sessionmaker[Session]) -> None:
    w = FolderWatcher(scans, intake.register, sessions, archive=scans / "done")
    drop(scans, "c.pdf", samples.pdf("c"))
    assert [t.outcome for t in w.poll()] == ["stored"]
    assert (scans / "done" / today() / "c.pdf").exists()
    assert w.poll() == [] and counts(sessions) == (1, 1)


def test_an_archive_on_another_filesystem_receives_a_whole_copy(scans: Path, intake: Intake,
                                                                sessions: sessionmaker[Session]) -> None:
    other = Path("/dev/shm")
    if not other.is_dir() or other.stat().st_dev == scans.stat().st_dev:
        pytest.skip("no second filesystem (tmpfs at /dev/shm) on this machine")
    archive = Path(tempfile.mkdtemp(dir=other, prefix="payables-archive-"))
    try:
        drop(scans, "d.pdf", samples.pdf("d"))
        (taken,) = FolderWatcher(scans, intake.register, sessions, archive=archive).poll()
        assert taken.archived_to == archive / today() / "d.pdf"
        assert taken.archived_to.read_bytes() == samples.pdf("d")
        assert not (scans / "d.pdf").exists()
        assert [p.name for p in (archive / today()).iterdir()] == ["d.pdf"]  # no partial copy left behind
    finally:
        shutil.rmtree(archive, ignore_errors=True)
