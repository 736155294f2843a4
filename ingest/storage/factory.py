"""Open the store a settings URL names."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from ingest.storage.base import ObjectStore
from ingest.storage.local import LocalStore
from ingest.storage.s3 import S3Store
from models.errors import ConfigurationError


def open_store(url: str, *, access_key: str | None = None, secret_key: str | None = None,
               region: str | None = None, sse: bool = False) -> ObjectStore:
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return LocalStore(Path(unquote(parsed.path)))
    if parsed.scheme in ("s3", "s3+http"):
        return S3Store(url, access_key=access_key, secret_key=secret_key, region=region, sse=sse)
    raise ConfigurationError(f"unknown storage URL {url!r}: use file:///PATH or s3://HOST:PORT/BUCKET")
