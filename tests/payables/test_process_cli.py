"""`payables process` on a folder of mixed files accounts for every one of them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, func, select

from models.documents import Document, Submission
from tests.ingest import samples
from tests.payables.invoices import invoice_pdf


def _mixed_folder(root: Path) -> int:
    root.mkdir()
    count = 0
    originals = []
    for i in range(120):
        data = invoice_pdf(f"INV-P-{i:04d}", total=f"{1000 + i},00")
        originals.append(data)
        (root / f"inv-{i:04d}.pdf").write_bytes(data)
        count += 1
    for i in range(40):  # the same invoices sent again under other names
        (root / "resent").mkdir(exist_ok=True)
        (root / "resent" / f"copy-{i}.pdf").write_bytes(originals[i])
        count += 1
    junk = {
        "setup.exe.pdf": b"MZ\x90\x00" + bytes(300),
        "empty.pdf": b"",
        "notes.txt": b"call the vendor about the missing delivery",
        "logo.gif": b"GIF89a" + bytes(100),
        "broken.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage",
    }
    for i in range(30):
        name, data = list(junk.items())[i % len(junk)]
        (root / "junk").mkdir(exist_ok=True)
        (root / "junk" / f"{i}-{name}").write_bytes(data + str(i).encode() if data else data)
        count += 1
    for i in range(10):
        (root / f"scan-{i}.png").write_bytes(samples.png(320 + i, 200))
        count += 1
    return count


def test_every_file_is_stored_once_refused_with_a_reason_or_counted_as_a_duplicate(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    files = _mixed_folder(folder)
    assert files == 200
    env = {**os.environ, "PAYABLES_DATA_DIR": str(tmp_path / "var"), "OMP_THREAD_LIMIT": "1"}
    run = subprocess.run([sys.executable, "-m", "payables", "process", str(folder), "--json"], env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    top = [r for r in rows if " › " not in r["path"]]
    assert len(top) == files
    by_outcome = {k: sum(1 for r in top if r["intake"] == k) for k in ("stored", "duplicate", "refused")}
    # A damaged PDF is accepted by its bytes at intake and refused when it cannot be read.
    assert by_outcome == {"stored": 136, "duplicate": 40, "refused": 24}
    refused = [r for r in top if r["state"] == "refused"]
    assert len(refused) == 30 and all(r["detail"] for r in refused)

    engine = create_engine(f"sqlite:///{tmp_path / 'var' / 'payables.db'}")
    with engine.connect() as conn:
        stored = conn.scalar(select(func.count(Document.id)).where(Document.object_key.is_not(None)))
        refused_unstored = conn.scalar(select(func.count(Submission.id)).where(
            Submission.outcome == "refused", Submission.document_id.is_(None)))
        duplicates = conn.scalar(select(func.count(Submission.id)).where(Submission.outcome == "duplicate"))
        stuck = conn.scalar(select(func.count(Document.id)).where(
            Document.state.in_(["received", "stored", "text_ready", "extracted", "matched"])))
    # Every original kept once (junk included, as evidence), empties recorded without bytes.
    assert (stored or 0) + (refused_unstored or 0) + (duplicates or 0) == files
    assert stuck == 0
