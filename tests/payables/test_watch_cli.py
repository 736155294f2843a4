"""`payables watch`: a folder once, a folder as a running service stopped by SIGTERM, and a bucket."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from minio import Minio

from tests.ingest import samples
from tests.support.servers import S3Server


def payables_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PAYABLES_DATA_DIR": str(tmp_path / "var"), "PAYABLES_STAGE_MAX_RETRIES": "0", **extra}


def back_date(path: Path, seconds: float = 60) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_watch_once_takes_the_folder_prints_a_line_each_and_archives(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "scan_0001.pdf").write_bytes(samples.pdf("Invoice 0001"))
    (scans / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(200))
    for p in scans.iterdir():
        back_date(p)
    run = subprocess.run([sys.executable, "-m", "payables", "watch", str(scans), "--once"],
                         env=payables_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = sorted(line.split("\t")[:2] for line in run.stdout.splitlines())
    assert rows == [[str(scans / "Thumbs.db"), "refused"], [str(scans / "scan_0001.pdf"), "stored"]]
    assert [p.name for p in scans.iterdir()] == [".archive"]


def test_the_watch_service_takes_files_as_they_arrive_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    service = subprocess.Popen([sys.executable, "-m", "payables", "watch", str(scans), "--settle", "0.5",
                                "--interval", "0.2"], env=payables_env(tmp_path), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        (scans / "arrived.pdf").write_bytes(samples.pdf("arrived while watching"))
        deadline = time.monotonic() + 60
        while (scans / "arrived.pdf").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not (scans / "arrived.pdf").exists(), "the running watcher did not take the file"
    finally:
        service.send_signal(signal.SIGTERM)
        out, err = service.communicate(timeout=60)
    assert service.returncode == 0, err[-3000:]
    assert out.startswith(f"{scans / 'arrived.pdf'}\tstored\t#1")
    archived = scans / ".archive" / datetime.now(UTC).strftime("%Y-%m-%d") / "arrived.pdf"
    assert archived.read_bytes() == samples.pdf("arrived while watching")


def test_watch_bucket_once_takes_incoming_objects_of_the_storage_bucket(tmp_path: Path, s3: S3Server) -> None:
    url = s3.url("cli-drop")
    client = Minio(f"127.0.0.1:{s3.port}", access_key=s3.access_key, secret_key=s3.secret_key, secure=False)
    client.make_bucket("cli-drop")
    data = samples.pdf("bucket invoice")
    client.put_object("cli-drop", "incoming/clinic-07/inv.pdf", io.BytesIO(data), len(data))
    env = payables_env(tmp_path, PAYABLES_STORAGE_URL=url, PAYABLES_S3_ACCESS_KEY=s3.access_key,
                       PAYABLES_S3_SECRET_KEY=s3.secret_key)
    run = subprocess.run([sys.executable, "-m", "payables", "watch", "--bucket", "--once"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.startswith("s3://cli-drop/incoming/clinic-07/inv.pdf\tstored\t#1")
    names = sorted(o.object_name or "" for o in client.list_objects("cli-drop", recursive=True))
    assert [n for n in names if not n.startswith("sha256/")] == [
        f"archive/{datetime.now(UTC).strftime('%Y-%m-%d')}/clinic-07/inv.pdf"]
    assert any(n.startswith("sha256/") for n in names)  # the original, content-addressed in the same bucket
