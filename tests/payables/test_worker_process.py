"""Production wiring: PostgreSQL, a Redis broker, S3 storage, and `payables worker` as its own process."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest.intake import Envelope
from models.documents import Document, Page
from models.extractions import Extraction
from models.states import DocumentState
from payables.outcome import wait_until_settled
from payables.pipeline import Pipeline
from payables.runtime import Runtime
from payables.settings import load_settings
from tests.payables.invoices import invoice_pdf
from tests.support.servers import Postgres, Redis, S3Server

pytestmark = pytest.mark.servers


@pytest.fixture
def production_env(postgres: Postgres, redis: Redis, s3: S3Server, tmp_path: Path) -> dict[str, str]:
    db = postgres.create_database(f"w{uuid.uuid4().hex[:10]}")
    return {
        "PAYABLES_DATA_DIR": str(tmp_path / "var"),
        "PAYABLES_DATABASE_URL": db,
        "PAYABLES_BROKER_URL": redis.url.replace("/0", f"/{1 + int(uuid.uuid4().int % 14)}"),
        "PAYABLES_STORAGE_URL": s3.url(f"w-{uuid.uuid4().hex[:10]}"),
        "PAYABLES_S3_ACCESS_KEY": s3.access_key,
        "PAYABLES_S3_SECRET_KEY": s3.secret_key,
        "PAYABLES_STAGE_MAX_RETRIES": "1",
        "PAYABLES_BROKER_HEARTBEAT_TIMEOUT_MS": "5000",
    }


@pytest.fixture
def worker(production_env: dict[str, str], tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, **production_env, "OMP_THREAD_LIMIT": "1"}
    subprocess.run([sys.executable, "-m", "payables", "db", "upgrade"], env=env, check=True, capture_output=True)
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "payables", "worker", "--threads", "2"], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _runtime(env: dict[str, str]) -> Runtime:
    settings = load_settings(**{k.removeprefix("PAYABLES_").lower(): v for k, v in env.items()})
    return Runtime.from_settings(settings)


def test_a_worker_process_takes_documents_through_the_stages(production_env: dict[str, str],
                                                             worker: subprocess.Popen[bytes]) -> None:
    rt = _runtime(production_env)
    pipeline = Pipeline.build(rt)
    ids = [pipeline.submit(invoice_pdf(f"INV-W-{i}"), Envelope(source="upload")).document_id for i in range(3)]
    assert all(ids)
    assert wait_until_settled(rt.sessions, [i for i in ids if i], timeout_s=180)
    with rt.sessions() as s:
        states = s.scalars(select(Document.state).where(Document.id.in_(ids))).all()
        assert DocumentState.REFUSED.value not in states
        assert s.scalar(select(func.count(Page.id)).where(Page.document_id.in_(ids))) == 3
    assert worker.poll() is None


def test_the_same_message_delivered_twice_to_a_worker_process_is_harmless(
        production_env: dict[str, str], worker: subprocess.Popen[bytes]) -> None:
    rt = _runtime(production_env)
    pipeline = Pipeline.build(rt)
    doc_id = rt.intake.register(invoice_pdf("INV-TWICE"), Envelope(source="upload")).document_id
    assert doc_id is not None
    # Two deliveries at once: both worker threads race for the same document.
    pipeline.enqueue("read", doc_id)
    pipeline.enqueue("read", doc_id)
    assert wait_until_settled(rt.sessions, [doc_id], timeout_s=180)
    with rt.sessions() as s:
        assert s.scalar(select(func.count(Page.id)).where(Page.document_id == doc_id)) == 1
        assert (s.scalar(select(func.count(Extraction.id)).where(Extraction.document_id == doc_id)) or 0) <= 1
