"""A local-folder object store: the embedded default, with the same behaviour as the S3 store.

Each object is a file plus a ``.meta.json`` sidecar; both are written to a temporary name, flushed to
disk and renamed into place, so a crash leaves either the whole object or none of it. Encryption at rest
for this store is the filesystem's (LUKS/dm-crypt on the data volume), as the README explains.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ingest.storage.base import ObjectInfo, check_key, content_key, sha256_hex, verify
from models.errors import ObjectNotFound, StorageError

_META = ".meta.json"


class LocalStore:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.url = f"file://{self.root}"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the object folder {self.root}: {exc}") from exc

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, data: bytes, *, content_type: str, metadata: dict[str, str] | None = None) -> ObjectInfo:
        digest = sha256_hex(data)
        key = content_key(digest)
        if self._path(key).exists() and self._path(key).with_name(self._path(key).name + _META).exists():
            return self.stat(key)
        return self._write(key, data, digest, content_type, metadata or {})

    def put_at(self, key: str, data: bytes, *, content_type: str,
               metadata: dict[str, str] | None = None) -> ObjectInfo:
        return self._write(check_key(key), data, sha256_hex(data), content_type, metadata or {})

    def _write(self, key: str, data: bytes, digest: str, content_type: str,
               metadata: dict[str, str]) -> ObjectInfo:
        path = self._path(key)
        info = ObjectInfo(key, len(data), content_type, digest, dict(metadata))
        meta = json.dumps({"size": info.size, "content_type": content_type, "sha256": digest,
                           "metadata": info.metadata}).encode()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # The sidecar goes last: an object counts as present only once its metadata exists.
            _atomic_write(path, data)
            _atomic_write(path.with_name(path.name + _META), meta)
        except OSError as exc:
            raise StorageError(f"cannot write {key} to {self.root}: {exc.strerror or exc}") from exc
        return info

    def get(self, key: str) -> bytes:
        info = self.stat(key)
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise ObjectNotFound(f"object {key} is missing from {self.root}") from exc
        except OSError as exc:
            raise StorageError(f"cannot read {key}: {exc}") from exc
        verify(key, data, info.sha256)
        return data

    def stat(self, key: str) -> ObjectInfo:
        meta_path = self._path(key).with_name(self._path(key).name + _META)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ObjectNotFound(f"object {key} is not in {self.root}") from exc
        except (OSError, ValueError) as exc:
            raise StorageError(f"cannot read the metadata of {key}: {exc}") from exc
        return ObjectInfo(key, int(meta["size"]), str(meta["content_type"]), str(meta["sha256"]),
                          dict(meta.get("metadata") or {}))

    def exists(self, key: str) -> bool:
        path = self._path(key)
        return path.with_name(path.name + _META).exists()

    def delete(self, key: str) -> None:
        path = self._path(key)
        for p in (path.with_name(path.name + _META), path):
            try:
                p.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise StorageError(f"cannot delete {key}: {exc}") from exc

    def keys(self, prefix: str = "") -> Iterator[str]:
        for path in self.root.rglob("*" + _META):
            key = path.relative_to(self.root).as_posix()[: -len(_META)]
            if key.startswith(prefix):
                yield key


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
