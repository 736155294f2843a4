"""The bucket drop prefix against an S3 server (moto): stored, then archived, never taken twice."""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime

import pytest
from minio import Minio
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Envelope, Intake, IntakeResult
from ingest.watch.bucket import BucketWatcher, open_client
from models.documents import Document, Submission
from models.errors import ConfigurationError
from tests.ingest import samples
from tests.support.servers import S3Server

_buckets = itertools.count()


class SimulatedCrash(BaseException):
    """The process dying: not an Exception, so nothing on the way catches it."""


@pytest.fixture
def bucket(s3: S3Server) -> tuple[Minio, str]:
    client, name = open_client(s3.url(f"drop{next(_buckets)}"), access_key=s3.access_key,
                               secret_key=s3.secret_key)
    client.make_bucket(name)
    return client, name


def upload(client: Minio, bucket: str, key: str, data: bytes) -> None:
    client.put_object(bucket, key, io.BytesIO(data), len(data), content_type="application/octet-stream")


def keys(client: Minio, bucket: str) -> list[str]:
    return sorted(o.object_name or "" for o in client.list_objects(bucket, recursive=True))


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def test_objects_are_stored_then_archived_and_other_keys_left_alone(
        bucket: tuple[Minio, str], intake: Intake, sessions: sessionmaker[Session]) -> None:
    client, name = bucket
    upload(client, name, "incoming/clinic-04/Rechnung Müller 12.pdf", samples.pdf("12"))
    upload(client, name, "incoming/scan_0001.png", samples.png(1240, 1754))
    upload(client, name, "incoming/readme.txt", b"drop scans here")
    upload(client, name, "sha256/00/00/not-ours", b"x")
    watcher = BucketWatcher(client, name, intake.register, sessions)
    taken = watcher.poll()
    assert sorted((d.key, d.outcome) for d in taken) == [
        ("incoming/clinic-04/Rechnung Müller 12.pdf", "stored"), ("incoming/readme.txt", "refused"),
        ("incoming/scan_0001.png", "stored")]
    assert keys(client, name) == [f"archive/{today()}/clinic-04/Rechnung Müller 12.pdf",
                                  f"archive/{today()}/readme.txt", f"archive/{today()}/scan_0001.png",
                                  "sha256/00/00/not-ours"]
    with sessions() as s:
        doc = s.scalars(select(Document).where(Document.filename == "Rechnung Müller 12.pdf")).one()
        assert (doc.source, doc.state) == ("bucket", "stored")
        assert doc.envelope["key"] == "incoming/clinic-04/Rechnung Müller 12.pdf"
        assert intake.store.get(doc.object_key or "") == samples.pdf("12")
    assert watcher.poll() == []


def test_a_restart_between_storing_and_archiving_does_not_take_the_object_again(
        bucket: tuple[Minio, str], intake: Intake, sessions: sessionmaker[Session],
        monkeypatch: pytest.MonkeyPatch) -> None:
    client, name = bucket
    upload(client, name, "incoming/a.pdf", samples.pdf("a"))
    crashing = BucketWatcher(client, name, intake.register, sessions)

    def die(key: str, etag: str) -> str:
        raise SimulatedCrash

    monkeypatch.setattr(crashing, "_archive", die)
    with pytest.raises(SimulatedCrash):
        crashing.poll()
    assert keys(client, name) == ["incoming/a.pdf"]

    restarted = BucketWatcher(client, name, intake.register, sessions)
    assert [d.outcome for d in restarted.poll()] == ["already stored"]
    assert keys(client, name) == [f"archive/{today()}/a.pdf"]
    with sessions() as s:
        assert s.scalar(select(func.count(Document.id))) == 1
        assert s.scalar(select(func.count(Submission.id))) == 1


def test_the_same_key_uploaded_again_with_new_content_is_a_new_file(
        bucket: tuple[Minio, str], intake: Intake, sessions: sessionmaker[Session]) -> None:
    client, name = bucket
    watcher = BucketWatcher(client, name, intake.register, sessions)
    upload(client, name, "incoming/scan.pdf", samples.pdf("first"))
    upload(client, name, "incoming/other.pdf", samples.pdf("first"))
    assert sorted(d.outcome for d in watcher.poll()) == ["duplicate", "stored"]
    upload(client, name, "incoming/scan.pdf", samples.pdf("second"))
    assert [d.outcome for d in watcher.poll()] == ["stored"]
    with sessions() as s:
        assert s.scalar(select(func.count(Document.id))) == 2


def test_prefixes_must_not_overlap_and_urls_must_name_a_bucket(bucket: tuple[Minio, str], intake: Intake,
                                                               sessions: sessionmaker[Session]) -> None:
    client, name = bucket
    with pytest.raises(ConfigurationError, match="overlap"):
        BucketWatcher(client, name, intake.register, sessions, prefix="in/", archive_prefix="in/done/")
    with pytest.raises(ConfigurationError, match="BUCKET"):
        open_client("s3://minio:9000/", access_key="a", secret_key="b")


def test_an_object_replaced_while_it_was_being_stored_is_not_deleted_unseen(
        bucket: tuple[Minio, str], intake: Intake, sessions: sessionmaker[Session]) -> None:
    client, name = bucket
    upload(client, name, "incoming/scan.pdf", samples.pdf("old"))

    def register_while_the_scanner_uploads_again(data: bytes, envelope: Envelope) -> IntakeResult:
        result = intake.register(data, envelope)
        upload(client, name, "incoming/scan.pdf", samples.pdf("new"))
        return result

    racing = BucketWatcher(client, name, register_while_the_scanner_uploads_again, sessions)
    assert [d.outcome for d in racing.poll()] == ["stored"]
    assert "incoming/scan.pdf" in keys(client, name)  # the new upload is still there...
    assert [d.outcome for d in BucketWatcher(client, name, intake.register, sessions).poll()] == ["stored"]
    assert [k for k in keys(client, name) if k.startswith("incoming/")] == []  # ...and taken next time
    with sessions() as s:
        assert s.scalar(select(func.count(Document.id))) == 2
