"""tesseract hanging or crashing on a page, with a real stand-in: a ``tesseract`` executable first on the
worker's PATH that hangs (sleeps) or kills itself with SIGSEGV on chosen calls and otherwise runs the
real one. The OCR code runs tesseract as its own process with a timeout, because the dramatiq time limit
cannot interrupt a worker thread blocked in C code."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from models.documents import Document
from tests.faults.harness import Servers, batch, scenario

pytestmark = [pytest.mark.servers, pytest.mark.slow]


def fake_tesseract(folder: Path, *, mode: str, calls: int) -> Path:
    """``mode`` hang or crash on the first ``calls`` page reads (all of them for calls = 0)."""
    real = shutil.which("tesseract")
    if real is None:
        pytest.skip("tesseract is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    act = "exec sleep 3600" if mode == "hang" else "kill -SEGV $$"
    limit = "true" if calls == 0 else f'[ "$n" -le {calls} ]'
    script = folder / "tesseract"
    script.write_text(f"""#!/bin/sh
case "$1" in --version|--list-langs|-v) exec {real} "$@";; esac
n=$(( $(cat "{folder}/calls" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "{folder}/calls"
if {limit}; then {act}; fi
exec {real} "$@"
""", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def test_tesseract_hanging_on_a_page_is_stopped_and_the_page_read_again(servers: Servers, tmp_path: Path) -> None:
    bin_dir = fake_tesseract(tmp_path / "bin", mode="hang", calls=1)
    with scenario(servers, "tesseract hangs on a page (once)", tmp_path, path_prefix=bin_dir,
                  settings={"PAYABLES_OCR_PAGE_TIMEOUT_S": "8"}) as sc:
        sc.start_worker()
        sc.submit(batch(servers.world, 8))
        sc.settle()
        result = sc.check()
        assert result.clean, result
        assert "took longer than 8 s and was stopped" in sc.logs()


def test_tesseract_crashing_on_a_page(servers: Servers, tmp_path: Path) -> None:
    bin_dir = fake_tesseract(tmp_path / "bin", mode="crash", calls=1)
    with scenario(servers, "tesseract crashes (SIGSEGV) on a page (once)", tmp_path, path_prefix=bin_dir) as sc:
        sc.start_worker()
        sc.submit(batch(servers.world, 8))
        sc.settle()
        result = sc.check()
        assert result.clean, result
        # A crash by signal is the process's fault, not the page's: the page is read again, the scan kept.
        assert "refused" not in result.states, result.states


def test_a_poison_document_fails_with_its_reason_after_its_retries_and_does_not_block_the_queue(
        servers: Servers, tmp_path: Path) -> None:
    bin_dir = fake_tesseract(tmp_path / "bin", mode="hang", calls=0)
    with scenario(servers, "poison document (OCR hangs every time)", tmp_path, path_prefix=bin_dir,
                  settings={"PAYABLES_OCR_PAGE_TIMEOUT_S": "3", "PAYABLES_STAGE_MAX_RETRIES": "2"}) as sc:
        sc.start_worker()
        files = batch(servers.world, 8)
        sc.submit(files)
        sc.settle()
        result = sc.check()
        assert result.clean, result
        with sc.rt.sessions() as s:
            failed = s.scalars(select(Document).where(Document.state == "failed")).all()
            others = s.scalars(select(Document.state).where(Document.state != "failed")).all()
        assert len(failed) == 1, [(d.id, d.filename, d.state) for d in failed]
        poison = failed[0]
        assert poison.failed_stage == "read" and "OCR of a page took longer than 3 s" in (poison.failure_reason or "")
        assert poison.attempts == 1
        assert len(others) == result.documents - 1 and "stored" not in others, "the rest went through meanwhile"
        # Visible and retryable: once an operator has mended tesseract, a retry takes it through.
        for worker in sc.workers:
            worker.proc.terminate()
        sc.path_prefix = None
        sc.env["PAYABLES_OCR_PAGE_TIMEOUT_S"] = "60"
        sc.start_worker()
        assert sc.pipeline.retry(poison.id, actor="user:ops") == "read"
        sc.wait_for("the retried document to move on", lambda: not sc.any_in("failed", "stored", "text_ready"), 240)
        sc.settle()
        assert sc.check(record=False).clean


def test_a_tesseract_crash_by_signal_is_retried_not_a_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from extraction.ocr.tesseract import tesseract_words
    from models.errors import TransientError

    bin_dir = fake_tesseract(tmp_path / "bin", mode="crash", calls=0)
    monkeypatch.setenv("PATH", f"{bin_dir}:{__import__('os').environ['PATH']}")
    page = np.full((200, 400), 255, dtype=np.uint8)
    with pytest.raises(TransientError):
        tesseract_words(page, languages="eng", dpi=300, timeout=30)
