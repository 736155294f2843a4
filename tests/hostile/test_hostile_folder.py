"""A folder of hostile files through ``payables process`` (the embedded default: SQLite, a folder store,
in-process workers): each ends in its expected stored refusal (state, code, reason), its original is
kept byte for byte where it has bytes, and names from outside never become paths."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models.documents import Document, Submission
from payables.runtime import Runtime
from payables.settings import load_settings
from tests.hostile import files

pytestmark = pytest.mark.slow
# A name with control characters, as a scanner or a careless script may write it on disk.
CONTROL_NAME = "scan\x01\x1b[2J\x07 invoice.pdf"
NAMES_EMAIL = "hostile-names.eml"


@dataclass
class Run:
    folder: Path
    rt: Runtime
    lines: dict[str, dict[str, Any]]  # path as printed → the JSON line
    stderr: str

    def line(self, name: str) -> dict[str, Any]:
        return self.lines[str(self.folder / name)]

    def document(self, document_id: int) -> Document:
        with self.rt.sessions() as s:
            doc = s.get(Document, document_id)
            assert doc is not None
            s.expunge(doc)
            return doc


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "inbox"
    folder.mkdir()
    for item in files.catalogue():
        (folder / item.name).write_bytes(item.data)
    (folder / "empty.pdf").write_bytes(b"")
    (folder / CONTROL_NAME).write_bytes(files.plain_pdf("Invoice CTRL-1"))
    (folder / NAMES_EMAIL).write_bytes(files.raw_email([
        (files.TRAVERSAL, files.plain_pdf("Invoice TRAV-1")),
        (files.WINDOWS_TRAVERSAL, files.plain_pdf("Invoice TRAV-2")),
        (files.CONTROL, files.plain_pdf("Invoice CTRL-2")),
    ]))
    env = {**os.environ, "PAYABLES_DATA_DIR": str(root / "var"), "PAYABLES_STAGE_MAX_RETRIES": "1",
           "OMP_THREAD_LIMIT": "1"}
    for key in ("PAYABLES_DATABASE_URL", "PAYABLES_BROKER_URL", "PAYABLES_STORAGE_URL", "PAYABLES_ODOO_URL"):
        env.pop(key, None)
    proc = subprocess.run([sys.executable, "-m", "payables", "process", str(folder), "--json", "--timeout", "600"],
                          env=env, capture_output=True, timeout=900)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    lines = {}
    for raw in proc.stdout.decode().splitlines():
        if not raw.startswith("{"):
            continue  # the closing summary line
        entry = json.loads(raw)
        lines[entry["path"]] = entry
    rt = Runtime.from_settings(load_settings(data_dir=root / "var"))
    try:
        yield Run(folder, rt, lines, proc.stderr.decode())
    finally:
        rt.close()


@pytest.mark.parametrize("name", files.NAMES)
def test_each_hostile_file_ends_in_its_stored_refusal_with_the_original_kept(run: Run, name: str) -> None:
    item = files.by_name(name)
    line = run.line(item.name)
    assert line["state"] == item.state, line
    doc = run.document(line["document_id"])
    assert doc.state == item.state
    assert doc.failure_code == item.code, (doc.failure_code, doc.failure_reason)
    if item.code is None:
        assert doc.envelope.get("unpacked_members"), doc.envelope
    else:
        assert item.reason in (doc.failure_reason or "").lower(), doc.failure_reason
    # The evidence: the bytes as they arrived, under their own hash.
    assert doc.sha256 == hashlib.sha256(item.data).hexdigest() and doc.size == len(item.data)
    assert doc.object_key is not None and run.rt.store.get(doc.object_key) == item.data


def test_a_zip_bomb_attached_to_an_email_is_refused_inside_the_message_that_is_kept(run: Run) -> None:
    item = files.by_name("zip-bomb.eml")
    message = run.line(item.name)
    for member, (state, code) in item.children.items():
        entry = run.line(f"{item.name} › {member}")
        assert entry["intake"] == "refused" and entry["state"] == state, entry
        doc = run.document(entry["document_id"])
        assert doc.failure_code == code and "decompression bomb" in (doc.failure_reason or "")
        assert doc.parent_id == message["document_id"]
        # The compressed archive is kept as it came; the hundred megabytes it would expand to are not.
        assert doc.object_key is not None and len(run.rt.store.get(doc.object_key)) == doc.size < 1_000_000


def test_an_empty_file_is_refused_with_its_submission_recorded_and_nothing_stored(run: Run) -> None:
    line = run.line("empty.pdf")
    assert line["intake"] == "refused" and line["document_id"] is None
    assert "empty (0 bytes)" in line["detail"]
    with run.rt.sessions() as s:
        sub = s.execute(select(Submission).where(Submission.filename == "empty.pdf")).scalar_one()
        assert sub.outcome == "refused" and sub.document_id is None and sub.envelope["code"] == "empty_file"


def test_an_executable_renamed_pdf_is_named_for_what_it_is(run: Run) -> None:
    line = run.line("setup.exe.pdf")
    assert line["intake"] == "refused"
    assert "a windows executable is not an accepted invoice format" in line["detail"].lower()


def test_names_with_path_traversal_become_plain_names_and_the_original_is_recorded(run: Run) -> None:
    expected = {"../../etc/passwd.pdf": "passwd.pdf", "..\\..\\windows\\system32\\evil.pdf": "evil.pdf"}
    for original, safe in expected.items():
        entry = run.line(f"{NAMES_EMAIL} › {safe}")
        doc = run.document(entry["document_id"])
        assert doc.filename == safe
        assert doc.envelope["original_filename"] == repr(original)
        # Processed like any invoice: the name changed nothing but the label.
        assert entry["state"] in ("in_review", "auto_approved", "posted", "failed"), entry
    for path in (Path("/etc/passwd.pdf"), run.folder.parent / "etc" / "passwd.pdf"):
        assert not path.exists()
    objects = run.folder.parent / "var" / "objects"
    assert not [p for p in objects.rglob("*") if p.name in ("passwd.pdf", "evil.pdf")]


def test_names_with_control_characters_are_cleaned_wherever_they_come_from(run: Run) -> None:
    on_disk = run.document(run.line(CONTROL_NAME)["document_id"])
    in_mail = run.document(run.line(f"{NAMES_EMAIL} › in_voice_[2J _.pdf")["document_id"])
    for doc in (on_disk, in_mail):
        assert doc.filename and not any(ord(ch) < 32 or ord(ch) == 127 for ch in doc.filename), doc.filename
        assert "original_filename" in doc.envelope
    assert on_disk.filename == "scan__[2J_ invoice.pdf"
    members = [p.split(" › ", 1)[1] for p in run.lines if " › " in p]
    assert members and not [m for m in members if any(ord(ch) < 32 for ch in m)]


def test_nothing_in_the_folder_was_dropped_and_nothing_is_left_in_flight(run: Run) -> None:
    on_disk = {str(p) for p in run.folder.iterdir()}
    printed = {p for p in run.lines if " › " not in p}
    assert on_disk == printed
    with run.rt.sessions() as s:
        states = set(s.scalars(select(Document.state)))
    assert states <= {"refused", "split", "in_review", "auto_approved", "posted", "failed", "posting_failed"}, states


def test_the_table_shows_control_characters_in_names_escaped_never_raw(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / CONTROL_NAME).write_bytes(files.plain_pdf("Invoice CTRL-3"))
    env = {**os.environ, "PAYABLES_DATA_DIR": str(tmp_path / "var"), "OMP_THREAD_LIMIT": "1"}
    for key in ("PAYABLES_DATABASE_URL", "PAYABLES_BROKER_URL", "PAYABLES_STORAGE_URL", "PAYABLES_ODOO_URL"):
        env.pop(key, None)
    proc = subprocess.run([sys.executable, "-m", "payables", "process", str(folder)], env=env, capture_output=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    out = proc.stdout.decode()
    assert "scan\\x01\\x1b[2J\\x07 invoice.pdf" in out, out
    assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in out)
