"""One contract for both object stores: the local folder (embedded default) and S3 via the minio SDK."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.storage import ObjectStore, content_key, open_store
from ingest.storage.base import sha256_hex
from ingest.storage.local import LocalStore
from models.errors import ChecksumMismatch, ObjectNotFound, StorageError
from tests.support.servers import S3Server


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStore]:
    if request.param == "local":
        yield open_store(f"file://{tmp_path / 'objects'}")
    else:
        s3: S3Server = request.getfixturevalue("s3")
        yield open_store(s3.url(f"b-{uuid.uuid4().hex[:12]}"), access_key=s3.access_key,
                         secret_key=s3.secret_key)


def test_put_stores_bytes_under_their_content_key(store: ObjectStore) -> None:
    data = b"%PDF-1.7 an invoice"
    info = store.put(data, content_type="application/pdf", metadata={"source": "email"})
    digest = sha256_hex(data)
    assert info.key == content_key(digest) == f"sha256/{digest[:2]}/{digest[2:4]}/{digest}"
    assert store.get(info.key) == data
    st = store.stat(info.key)
    assert (st.size, st.content_type, st.sha256) == (len(data), "application/pdf", digest)
    assert st.metadata.get("source") == "email"


def test_putting_the_same_bytes_twice_is_harmless(store: ObjectStore) -> None:
    first = store.put(b"same bytes", content_type="text/plain")
    second = store.put(b"same bytes", content_type="text/plain")
    assert first.key == second.key
    assert [k for k in store.keys("sha256/") if k == first.key] == [first.key]


def test_missing_objects_raise_not_found(store: ObjectStore) -> None:
    key = content_key("0" * 64)
    with pytest.raises(ObjectNotFound):
        store.get(key)
    assert not store.exists(key)


def test_derived_objects_live_at_chosen_keys_and_can_be_replaced(store: ObjectStore) -> None:
    store.put_at("pages/abc/1.png", b"old", content_type="image/png")
    store.put_at("pages/abc/1.png", b"new", content_type="image/png")
    assert store.get("pages/abc/1.png") == b"new"
    assert "pages/abc/1.png" in set(store.keys("pages/"))
    store.delete("pages/abc/1.png")
    assert not store.exists("pages/abc/1.png")


@pytest.mark.parametrize("key", ["../etc/passwd", "a/../../b", "/abs", "a//b", ""])
def test_unsafe_keys_are_refused(store: ObjectStore, key: str) -> None:
    with pytest.raises(StorageError):
        store.put_at(key, b"x", content_type="text/plain")


def test_local_store_detects_damaged_bytes(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    info = store.put(b"original invoice bytes", content_type="application/pdf")
    (tmp_path / info.key).write_bytes(b"tampered invoice bytes")
    with pytest.raises(ChecksumMismatch):
        store.get(info.key)


def test_s3_store_detects_damaged_bytes(s3: S3Server) -> None:
    import io

    from minio import Minio

    bucket = f"b-{uuid.uuid4().hex[:12]}"
    store = open_store(s3.url(bucket), access_key=s3.access_key, secret_key=s3.secret_key)
    info = store.put(b"original invoice bytes", content_type="application/pdf")
    raw = Minio(f"127.0.0.1:{s3.port}", access_key=s3.access_key, secret_key=s3.secret_key, secure=False)
    raw.put_object(bucket, info.key, io.BytesIO(b"tampered"), 8)
    with pytest.raises(ChecksumMismatch):
        store.get(info.key)


def test_s3_store_creates_its_bucket(s3: S3Server) -> None:
    from minio import Minio

    bucket = f"fresh-{uuid.uuid4().hex[:8]}"
    raw = Minio(f"127.0.0.1:{s3.port}", access_key=s3.access_key, secret_key=s3.secret_key, secure=False)
    assert not raw.bucket_exists(bucket)
    open_store(s3.url(bucket), access_key=s3.access_key, secret_key=s3.secret_key).put(
        b"x", content_type="text/plain")
    assert raw.bucket_exists(bucket)


def test_s3_store_reports_an_unreachable_server_as_a_storage_error() -> None:
    from ingest.storage.s3 import S3Store
    from tests.support.servers import free_port

    store = S3Store(f"s3+http://127.0.0.1:{free_port()}/bucket", access_key="a", secret_key="b",
                    retries=1, retry_wait_s=0.01)
    with pytest.raises(StorageError, match="failed after 2 tries"):
        store.put(b"x", content_type="text/plain")


def test_local_store_write_failure_is_a_storage_error(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "objects")
    (tmp_path / "objects" / "sha256").write_text("a file where a folder must go")
    with pytest.raises(StorageError):
        store.put(b"x", content_type="text/plain")
