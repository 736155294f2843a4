"""The object-store interface and the rules every implementation shares."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from models.errors import ChecksumMismatch, StorageError

_CONTENT_KEY = re.compile(r"^sha256/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")
_SAFE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,400}$")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_key(digest: str) -> str:
    """``sha256/ab/cd/abcd…``: two levels of fan-out keep folders and listings small."""
    return f"sha256/{digest[:2]}/{digest[2:4]}/{digest}"


def check_key(key: str) -> str:
    if not _SAFE_KEY.match(key) or ".." in key.split("/") or "//" in key:
        raise StorageError(f"unsafe object key {key!r}")
    return key


def verify(key: str, data: bytes, recorded_sha256: str | None) -> None:
    """Prove the bytes read are the bytes written: by the key itself, or by the recorded digest."""
    m = _CONTENT_KEY.match(key)
    expected = m.group(3) if m else recorded_sha256
    if expected and sha256_hex(data) != expected:
        raise ChecksumMismatch(f"object {key} is damaged: its bytes no longer hash to {expected[:12]}…")


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str
    sha256: str
    metadata: dict[str, str] = field(default_factory=dict)


class ObjectStore(Protocol):
    """What the pipeline needs from storage; both implementations pass one contract test suite."""

    url: str

    def put(self, data: bytes, *, content_type: str, metadata: dict[str, str] | None = None) -> ObjectInfo:
        """Store bytes under their content key; storing existing bytes again changes nothing."""

    def put_at(self, key: str, data: bytes, *, content_type: str,
               metadata: dict[str, str] | None = None) -> ObjectInfo:
        """Store derived bytes (a rendered page, an export) under a chosen key, replacing what was there."""

    def get(self, key: str) -> bytes:
        """The bytes, verified against their checksum; ObjectNotFound or ChecksumMismatch otherwise."""

    def stat(self, key: str) -> ObjectInfo:
        """Size, type, checksum and metadata without reading the bytes."""

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every key under a prefix, in no particular order."""
