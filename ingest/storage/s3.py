"""MinIO / S3 through the ``minio`` SDK: the production store.

The bucket is created if missing. Each object carries its SHA-256 in user metadata, and reads are
verified against it; server-side encryption (SSE-S3) is asked for when configured.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlparse

import urllib3
from minio import Minio
from minio.error import MinioException, S3Error
from minio.sse import SseS3

from ingest.storage.base import ObjectInfo, check_key, content_key, sha256_hex, verify
from models.errors import ConfigurationError, ObjectNotFound, StorageError

T = TypeVar("T")
_META_SHA = "sha256"
_NOT_FOUND = {"NoSuchKey", "NoSuchObject", "NoSuchBucket", "ResourceNotFound"}


class S3Store:
    def __init__(self, url: str, *, access_key: str | None, secret_key: str | None,
                 region: str | None = None, sse: bool = False, retries: int = 4,
                 retry_wait_s: float = 0.5, timeout_s: float = 30.0) -> None:
        parsed = urlparse(url)
        secure = parsed.scheme == "s3"
        bucket = parsed.path.strip("/")
        if not parsed.hostname or not bucket or "/" in bucket:
            raise ConfigurationError(f"storage URL {url!r} must look like s3://HOST:PORT/BUCKET")
        if not access_key or not secret_key:
            raise ConfigurationError("the S3 store needs PAYABLES_S3_ACCESS_KEY and PAYABLES_S3_SECRET_KEY "
                                     "(or their _FILE variants)")
        self.url = url
        self.bucket = bucket
        self._sse = SseS3() if sse else None
        self._retries = retries
        self._retry_wait_s = retry_wait_s
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=5.0, read=timeout_s),
            retries=urllib3.Retry(total=0),  # our own loop retries, so the wait is bounded and logged
            maxsize=16,
        )
        endpoint = parsed.netloc.rsplit("@", 1)[-1]
        self._client = Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=secure,
                             region=region, http_client=http)
        self._bucket_checked = False

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        delay = self._retry_wait_s
        for attempt in range(self._retries + 1):
            try:
                if not self._bucket_checked:
                    self._ensure_bucket()
                return fn()
            except S3Error as exc:
                if exc.code in _NOT_FOUND:
                    raise ObjectNotFound(f"{what}: not found in bucket {self.bucket}") from exc
                if attempt == self._retries:
                    raise StorageError(f"{what} failed: S3 said {exc.code}: {exc.message}") from exc
            except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
                if attempt == self._retries:
                    raise StorageError(f"{what} failed after {attempt + 1} tries: {exc}") from exc
            time.sleep(delay)
            delay = min(delay * 2, 8.0)
        raise AssertionError("unreachable")

    def _ensure_bucket(self) -> None:
        if not self._client.bucket_exists(self.bucket):
            try:
                self._client.make_bucket(self.bucket)
            except S3Error as exc:
                if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise
        self._bucket_checked = True

    def put(self, data: bytes, *, content_type: str, metadata: dict[str, str] | None = None) -> ObjectInfo:
        digest = sha256_hex(data)
        key = content_key(digest)
        try:
            existing = self.stat(key)
        except ObjectNotFound:
            return self._write(key, data, digest, content_type, metadata or {})
        return existing

    def put_at(self, key: str, data: bytes, *, content_type: str,
               metadata: dict[str, str] | None = None) -> ObjectInfo:
        return self._write(check_key(key), data, sha256_hex(data), content_type, metadata or {})

    def _write(self, key: str, data: bytes, digest: str, content_type: str,
               metadata: dict[str, str]) -> ObjectInfo:
        meta: dict[str, Any] = {**metadata, _META_SHA: digest}
        self._call(f"upload of {key}", lambda: self._client.put_object(
            self.bucket, key, io.BytesIO(data), len(data), content_type=content_type,
            metadata=meta, sse=self._sse))
        return ObjectInfo(key, len(data), content_type, digest, dict(metadata))

    def get(self, key: str) -> bytes:
        def read() -> tuple[bytes, str | None]:
            resp = self._client.get_object(self.bucket, check_key(key))
            try:
                body = resp.read()
                recorded = resp.headers.get("x-amz-meta-" + _META_SHA)
            finally:
                resp.close()
                resp.release_conn()
            return body, recorded

        data, recorded = self._call(f"download of {key}", read)
        verify(key, data, recorded)
        return data

    def stat(self, key: str) -> ObjectInfo:
        st = self._call(f"stat of {key}", lambda: self._client.stat_object(self.bucket, check_key(key)))
        meta = {k.lower(): v for k, v in (st.metadata or {}).items()}
        user = {k[len("x-amz-meta-"):]: str(v) for k, v in meta.items() if k.startswith("x-amz-meta-")}
        digest = user.pop(_META_SHA, "")
        return ObjectInfo(key, int(st.size or 0), st.content_type or "application/octet-stream", digest, user)

    def exists(self, key: str) -> bool:
        try:
            self.stat(key)
        except ObjectNotFound:
            return False
        return True

    def delete(self, key: str) -> None:
        self._call(f"delete of {key}", lambda: self._client.remove_object(self.bucket, check_key(key)))

    def keys(self, prefix: str = "") -> Iterator[str]:
        objects = self._call(f"listing of {prefix or '/'}",
                             lambda: list(self._client.list_objects(self.bucket, prefix=prefix,
                                                                    recursive=True)))
        for obj in objects:
            if obj.object_name:
                yield obj.object_name
