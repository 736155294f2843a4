"""The scanner drop folder: take each file once it is complete, store it, then move it to the archive.

Scanners and copy tools give no "done" signal, so completeness is judged from outside. A file counts as
complete when its size and modification time have not changed for ``settle_s`` seconds (the time is
the file's own, so a file copied in with an old time, or found there at start, is taken at once), when
it is not a temporary name (``.name``, ``*.tmp``, ``*.part``…: tools that write those rename them when
done), and, for PDF and JPEG, when the end-of-file marker is there; a slow network scanner pausing
longer than ``settle_s`` mid-file is caught by that last check. A file still failing the marker check
after ``incomplete_grace_s`` is taken anyway, and intake and the read stage say what is wrong with it.

The order: read, hand to intake (stored, or recorded as a duplicate or refusal), then archive. A crash
in between leaves the file in place; on restart its reference (path, content hash and modification
time) is found on the recorded submission, so it is archived without being taken again.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Envelope, IntakeResult
from ingest.received import SubmitFn, received_refs
from models.errors import StorageError, TransientError

log = logging.getLogger("payables.watch")

HOLD_AFTER_FAULT_S = 300.0
TEMPORARY_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".filepart", "~")


@dataclass(frozen=True)
class Taken:
    """What became of one file: intake's result, or None when an earlier run had stored it."""

    path: Path
    ref: str
    result: IntakeResult | None
    archived_to: Path | None

    @property
    def outcome(self) -> str:
        return self.result.outcome if self.result is not None else "already stored"


@dataclass
class _Sighting:
    size: int
    mtime_ns: int
    since: float  # monotonic time the file was first seen like this


@dataclass
class FolderWatcher:
    root: Path
    submit: SubmitFn
    sessions: sessionmaker[Session]
    archive: Path | None = None
    settle_s: float = 5.0
    incomplete_grace_s: float = 600.0
    _seen: dict[Path, _Sighting] = field(default_factory=dict, repr=False)
    _held: dict[Path, float] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.archive = (self.archive or self.root / ".archive").resolve()
        if not self.root.is_dir():
            raise StorageError(f"the scan folder {self.root} does not exist or is not a folder")

    # -- finding complete files -------------------------------------------------------------------

    def candidates(self) -> list[Path]:
        """Files in the folder (and its sub-folders) that might be scans, oldest first."""
        found: list[tuple[int, Path]] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            here = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and (here / d) != self.archive)
            for name in filenames:
                if name.startswith(".") or name.lower().endswith(TEMPORARY_SUFFIXES):
                    continue
                path = here / name
                with contextlib.suppress(OSError):
                    st = path.stat()
                    found.append((st.st_mtime_ns, path))
        return [p for _, p in sorted(found)]

    def is_complete(self, path: Path) -> bool:
        try:
            st = path.stat()
        except OSError:
            self._seen.pop(path, None)
            return False
        now = time.monotonic()
        seen = self._seen.get(path)
        if seen is None or (seen.size, seen.mtime_ns) != (st.st_size, st.st_mtime_ns):
            self._seen[path] = _Sighting(st.st_size, st.st_mtime_ns, now)
            # Untouched for settle_s by its own clock: copied in whole, or there since before we started.
            return time.time() - st.st_mtime_ns / 1e9 >= self.settle_s
        return now - seen.since >= self.settle_s

    # -- taking them ------------------------------------------------------------------------------

    def poll(self) -> list[Taken]:
        taken: list[Taken] = []
        for path in self.candidates():
            if self._held.get(path, 0.0) > time.monotonic() or not self.is_complete(path):
                continue
            read = self._read_whole(path)
            if read is None:
                continue
            data, ref = read
            try:
                item = self._take(path, data, ref)
            except (StorageError, TransientError, OperationalError):
                raise  # the store or database is away: every other file would fail the same way
            except Exception:
                # A fault of ours on this one file must not hold up the folder; it is retried later.
                log.exception("%s could not be taken in; trying it again in %.0f s", path, HOLD_AFTER_FAULT_S)
                self._held[path] = time.monotonic() + HOLD_AFTER_FAULT_S
                continue
            taken.append(item)
        return taken

    def _take(self, path: Path, data: bytes, ref: str) -> Taken:
        result = None
        if ref in received_refs(self.sessions, [ref]):
            log.info("%s was stored before; archiving it", path)
        else:
            result = self.submit(data, self._envelope(path, data, ref))
        archived = self._archive(path)
        self._seen.pop(path, None)
        self._held.pop(path, None)
        log.info("%s: %s, archived to %s", path, result.outcome if result else "already stored", archived)
        return Taken(path, ref, result, archived)

    def _read_whole(self, path: Path) -> tuple[bytes, str] | None:
        try:
            before = path.stat()
            data = path.read_bytes()
            after = path.stat()
        except FileNotFoundError:
            self._seen.pop(path, None)
            return None
        except OSError as exc:
            log.warning("cannot read %s, will try again: %s", path, exc)
            return None
        if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(data) != after.st_size:
            self._seen.pop(path, None)  # written to while being read: start the settling over
            return None
        age = time.time() - after.st_mtime_ns / 1e9
        if not _ends_whole(data) and age < self.incomplete_grace_s:
            log.debug("%s has no end-of-file marker yet; waiting", path)
            return None
        digest = hashlib.sha256(data).hexdigest()
        return data, self.ref(path, digest, after.st_mtime_ns)

    def ref(self, path: Path, digest: str, mtime_ns: int) -> str:
        """This file at this source: path, content and time (scanners reuse names daily, and the same
        bytes dropped again later are a new submission, recorded by intake as a duplicate)."""
        where = quote(path.as_posix(), safe="/")
        if len(where) > 400:
            where = "/…/" + hashlib.sha256(where.encode()).hexdigest()
        return f"file://{where}?sha256={digest}&mtime_ns={mtime_ns}"

    def _envelope(self, path: Path, data: bytes, ref: str) -> Envelope:
        st = path.stat()
        relative = path.relative_to(self.root).as_posix()
        meta = {"folder": str(self.root), "relative_path": relative, "size": len(data),
                "modified_at": datetime.fromtimestamp(st.st_mtime, UTC).isoformat(timespec="seconds")}
        return Envelope(source="folder", filename=path.name, source_ref=ref, meta=meta)

    def _archive(self, path: Path) -> Path:
        assert self.archive is not None
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        target = self.archive / day / path.relative_to(self.root)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            stem, suffix, n = target.stem, target.suffix, 1
            while target.exists():
                target = target.with_name(f"{stem}-{n}{suffix}")
                n += 1
            _move(path, target)
        except OSError as exc:
            raise StorageError(f"{path} is stored but cannot be moved to the archive {self.archive}: {exc}; "
                               "it is skipped on the next run, so fix the archive folder") from exc
        return target

    # -- running ----------------------------------------------------------------------------------

    def run(self, stop: threading.Event, *, interval_s: float = 2.0,
            on_taken: Callable[[Taken], None] | None = None) -> None:
        backoff = interval_s
        while not stop.is_set():
            try:
                for item in self.poll():
                    if on_taken is not None:
                        on_taken(item)
                backoff = interval_s
            except (StorageError, TransientError, OSError) as exc:
                log.warning("scan folder %s: %s; retrying in %.0f s", self.root, exc, backoff)
                backoff = min(backoff * 2, 300.0)
            stop.wait(backoff)

    def take_all(self, *, timeout_s: float, interval_s: float = 1.0) -> list[Taken]:
        """Take everything in the folder now, waiting for files still being written (``--once``)."""
        deadline = time.monotonic() + timeout_s
        taken = self.poll()
        while self.candidates() and time.monotonic() < deadline:
            time.sleep(interval_s)
            taken += self.poll()
        return taken


def _move(path: Path, target: Path) -> None:
    """Rename, or where the archive is on another filesystem, copy to a temporary name there, rename
    that into place, and only then delete the original."""
    try:
        os.replace(path, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    partial = target.with_name(f".{target.name}.copying")
    shutil.copy2(path, partial)
    os.replace(partial, target)
    path.unlink()


def _ends_whole(data: bytes) -> bool:
    """Whether a file of a type with an end marker has it: a file cut short mid-write has not."""
    if b"%PDF-" in data[:1024]:
        return b"%%EOF" in data[-2048:]
    if data.startswith(b"\xff\xd8\xff"):
        return b"\xff\xd9" in data[-64:]
    if data.startswith(b"\x89PNG"):
        return b"IEND" in data[-64:]
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        # Scanners write the directory after the pixels; its offset beyond the end means a cut file.
        offset = int.from_bytes(data[4:8], "little" if data[:2] == b"II" else "big")
        return offset + 2 <= len(data)
    return True
