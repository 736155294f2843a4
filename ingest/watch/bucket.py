"""A drop prefix in a MinIO/S3 bucket (``incoming/``), consumed like the scan folder.

An S3 object is complete by construction: it becomes visible only when its upload (single or
multipart) has finished, so there is no settling to wait for. Each object is read, handed to intake,
and only then archived: copied to ``archive/<date>/…`` on condition that it is still the version that
was stored (``x-amz-copy-source-if-match``), then deleted. A crash before the delete leaves the object
in ``incoming/``; its reference (bucket, key and ETag) is then found on the recorded submission and it
is archived without being taken again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlparse

import urllib3
from minio import Minio
from minio.commonconfig import CopySource
from minio.error import MinioException, S3Error
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Envelope, IntakeResult
from ingest.received import SubmitFn, received_refs
from models.errors import ConfigurationError, StorageError, TransientError

log = logging.getLogger("payables.watch.bucket")

HOLD_AFTER_FAULT_S = 300.0
FAULTS = (S3Error, MinioException, urllib3.exceptions.HTTPError, OSError)


@dataclass(frozen=True)
class Dropped:
    """What became of one object: intake's result, or None when an earlier run had stored it."""

    key: str
    ref: str
    result: IntakeResult | None
    archived_to: str | None

    @property
    def outcome(self) -> str:
        return self.result.outcome if self.result is not None else "already stored"


def open_client(url: str, *, access_key: str | None, secret_key: str | None,
                region: str | None = None) -> tuple[Minio, str]:
    """A client and the bucket name for ``s3://HOST:PORT/BUCKET`` (TLS) or ``s3+http://…`` (loopback)."""
    parsed = urlparse(url)
    bucket = parsed.path.strip("/")
    if parsed.scheme not in ("s3", "s3+http") or not parsed.hostname or not bucket or "/" in bucket:
        raise ConfigurationError(f"bucket URL {url!r} must look like s3://HOST:PORT/BUCKET")
    if not access_key or not secret_key:
        raise ConfigurationError("the bucket watcher needs PAYABLES_S3_ACCESS_KEY and PAYABLES_S3_SECRET_KEY "
                                 "(or their _FILE variants)")
    http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5.0, read=60.0),
                               retries=urllib3.Retry(total=2, backoff_factor=0.5))
    client = Minio(parsed.netloc.rsplit("@", 1)[-1], access_key=access_key, secret_key=secret_key,
                   secure=parsed.scheme == "s3", region=region, http_client=http)
    return client, bucket


class BucketWatcher:
    def __init__(self, client: Minio, bucket: str, submit: SubmitFn, sessions: sessionmaker[Session], *,
                 prefix: str = "incoming/", archive_prefix: str = "archive/") -> None:
        if not prefix.endswith("/") or not archive_prefix.endswith("/"):
            raise ConfigurationError("bucket prefixes must end with '/'")
        if archive_prefix.startswith(prefix) or prefix.startswith(archive_prefix):
            raise ConfigurationError("the archive prefix must not overlap the incoming prefix")
        self.client = client
        self.bucket = bucket
        self.submit = submit
        self.sessions = sessions
        self.prefix = prefix
        self.archive_prefix = archive_prefix
        self._held: dict[str, float] = {}

    def ref(self, key: str, etag: str) -> str:
        return f"s3://{self.bucket}/{quote(key, safe='/')}?etag={etag}"

    def poll(self) -> list[Dropped]:
        """Take every object under the prefix, oldest first."""
        try:
            listed = [o for o in self.client.list_objects(self.bucket, prefix=self.prefix, recursive=True)
                      if o.object_name and not o.is_dir and not o.object_name.endswith("/")]
        except FAULTS as exc:
            raise StorageError(f"cannot list s3://{self.bucket}/{self.prefix}: {exc}") from exc
        listed.sort(key=lambda o: (o.last_modified or datetime.min.replace(tzinfo=UTC), o.object_name or ""))
        dropped: list[Dropped] = []
        for obj in listed:
            key = obj.object_name or ""
            if self._held.get(key, 0.0) > time.monotonic():
                continue
            try:
                item = self._take(key, (obj.etag or "").strip('"'))
            except (StorageError, TransientError, OperationalError):
                raise  # the store or database is away: every other object would fail the same way
            except Exception:
                # A fault of ours on this one object must not hold up the others; it is retried later.
                log.exception("s3://%s/%s could not be taken in; trying again in %.0f s", self.bucket, key,
                              HOLD_AFTER_FAULT_S)
                self._held[key] = time.monotonic() + HOLD_AFTER_FAULT_S
                continue
            if item is not None:
                self._held.pop(key, None)
                dropped.append(item)
        return dropped

    def _take(self, key: str, listed_etag: str) -> Dropped | None:
        ref = self.ref(key, listed_etag)
        if ref in received_refs(self.sessions, [ref]):
            log.info("s3://%s/%s was stored before; archiving it", self.bucket, key)
            return Dropped(key, ref, None, self._archive(key, listed_etag))
        fetched = self._get(key)
        if fetched is None:
            return None
        data, etag, meta = fetched
        ref = self.ref(key, etag)  # the version actually read, should it have changed since the listing
        name = key.rsplit("/", 1)[-1]
        result = self.submit(data, Envelope(source="bucket", filename=name, source_ref=ref, meta={
            "bucket": self.bucket, "key": key, "etag": etag, "size": len(data), **meta}))
        archived = self._archive(key, etag)
        log.info("s3://%s/%s: %s, archived to %s", self.bucket, key, result.outcome, archived)
        return Dropped(key, ref, result, archived)

    def _get(self, key: str) -> tuple[bytes, str, dict[str, str]] | None:
        try:
            resp = self.client.get_object(self.bucket, key)
            try:
                data = resp.read()
                etag = (resp.headers.get("ETag") or "").strip('"')
                meta = {"modified_at": resp.headers.get("Last-Modified") or ""}
            finally:
                resp.close()
                resp.release_conn()
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject"):
                return None  # taken by another watcher a moment ago
            raise StorageError(f"cannot read s3://{self.bucket}/{key}: {exc.code}: {exc.message}") from exc
        except FAULTS as exc:
            raise StorageError(f"cannot read s3://{self.bucket}/{key}: {exc}") from exc
        return data, etag, meta

    def _archive(self, key: str, etag: str) -> str | None:
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        target = f"{self.archive_prefix}{day}/{key[len(self.prefix):]}"
        try:
            self.client.copy_object(self.bucket, target, CopySource(self.bucket, key, match_etag=etag or None))
            current = self.client.stat_object(self.bucket, key)
            # A new upload under the same name since the copy is a new file: leave it for the next poll.
            if (current.etag or "").strip('"') == etag:
                self.client.remove_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject"):
                return target  # archived and deleted by another watcher already
            if exc.code == "PreconditionFailed":
                log.info("s3://%s/%s was replaced after it was read; the new version is taken next", self.bucket,
                         key)
                return None
            raise StorageError(f"s3://{self.bucket}/{key} is stored but cannot be archived: {exc.code}: "
                               f"{exc.message}") from exc
        except FAULTS as exc:
            raise StorageError(f"s3://{self.bucket}/{key} is stored but cannot be archived: {exc}") from exc
        return target

    def run(self, stop: threading.Event, *, interval_s: float = 10.0,
            on_dropped: Callable[[Dropped], None] | None = None) -> None:
        backoff = interval_s
        while not stop.is_set():
            try:
                for item in self.poll():
                    if on_dropped is not None:
                        on_dropped(item)
                backoff = interval_s
            except (StorageError, TransientError, OperationalError) as exc:
                log.warning("bucket s3://%s/%s: %s; retrying in %.0f s", self.bucket, self.prefix, exc, backoff)
                backoff = min(backoff * 2, 300.0)
            stop.wait(backoff)
