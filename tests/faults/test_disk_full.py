"""The local-folder store on a full disk: an 8 MB tmpfs, filled so that the batch does not fit in. Intake says no to
what it cannot store (nothing half-written is left), the sender tries again once space is freed, and
everything accepted goes through."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import Servers, batch, scenario

pytestmark = [pytest.mark.servers, pytest.mark.slow]


@contextlib.contextmanager
def tiny_filesystem(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.decode().strip() or 'not permitted'})")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_the_local_store_running_out_of_disk(servers: Servers, tmp_path: Path) -> None:
    with tiny_filesystem(tmp_path / "objects", "8m") as objects, \
            scenario(servers, "local store disk full (8 MB tmpfs, filled)", tmp_path,
                     storage_url=f"file://{objects}") as sc:
        files = batch(servers.world, 8)
        # Leave room for a few of the batch's files, not for all of them.
        filler = objects / "filler"
        room = sum(p.stat().st_size for p in files) // 3
        filler.write_bytes(b"\0" * max(0, shutil.disk_usage(objects).free - room))
        sc.start_worker()
        sc.start_worker()
        refused = []
        for path in files:
            try:
                sc.submit([path])
            except AssertionError:
                refused.append(path)
        assert refused, "the disk was meant to fill up"
        assert not [p for p in objects.rglob("*") if p.name.startswith(".") or ".tmp" in p.name], \
            "a failed write leaves no partial file behind"
        filler.unlink()
        sc.submit(refused)
        sc.settle()
        result = sc.check()
        assert result.clean, result
