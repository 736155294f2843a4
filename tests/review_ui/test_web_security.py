"""Secure headers on every page, no inline script anywhere, and uploads that cannot run in the browser."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from ingest.intake import Envelope
from models.documents import Document
from models.states import DocumentState
from review_ui.app import api_routes
from tests.review_ui.conftest import World
from tests.review_ui.factories import PRICE_HOLD, make_invoice

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)


def _pages(world: World, doc_id: int) -> list[str]:
    paths = []
    for route in api_routes(world.app):
        if "GET" in route.methods and not route.path.startswith("/api/") and route.name not in (
                "document.page_image", "document.original", "audit.export", "queue.next", "home", "health",
                "auth.login_form", "auth.mfa_form", "auth.enrol_form"):
            paths.append(route.path.format(document_id=doc_id))
    return paths


def test_every_page_carries_the_security_headers_and_no_inline_code(world: World) -> None:
    from models.db import transaction

    with transaction(world.rt.sessions) as db:
        doc_id = make_invoice(db, world.rt.store, holds=[PRICE_HOLD]).document.id
    client = world.client("ada")
    pages = _pages(world, doc_id)
    assert len(pages) >= 11
    for path in [*pages, "/login", "/static/app.js", "/static/viewer.js", "/nowhere"]:
        response = (world.client() if path == "/login" else client).get(path)
        assert response.status_code == (404 if path == "/nowhere" else 200), path
        h = response.headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert h["x-frame-options"] == "DENY" and h["referrer-policy"] == "same-origin"
        assert h["x-content-type-options"] == "nosniff"
        if path.startswith("/static/"):
            continue
        assert h["cache-control"] == "no-store", path
        html = response.text
        assert not INLINE_SCRIPT.search(html), path
        assert not INLINE_HANDLER.search(html), path
        assert not STYLE_ATTR.search(html), path


def _stored(world: World, data: bytes, name: str) -> int:
    result = world.pipeline.submit(data, Envelope(source="upload", filename=name))
    assert result.document_id is not None
    return result.document_id


def test_an_uploaded_html_file_is_served_as_an_inert_attachment(world: World) -> None:
    doc_id = _stored(world, b"<html><script>alert(document.cookie)</script></html>", "invoice.html")
    response = world.client("alice").get(f"/documents/{doc_id}/original")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"] == 'attachment; filename="invoice.html"'
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_pdf_keeps_its_type_and_a_hostile_name_is_neutralised(world: World) -> None:
    from tests.review_ui.factories import InvoiceSpec, invoice_pdf

    doc_id = _stored(world, invoice_pdf(InvoiceSpec(number="N-1")), '../../etc/"pass\r\nwd".pdf')
    response = world.client("alice").get(f"/documents/{doc_id}/original")
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=") and "\r" not in disposition and ".." not in disposition
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+"', disposition)


def test_an_upload_goes_through_intake_and_remembers_the_uploader(world: World) -> None:
    from tests.review_ui.factories import InvoiceSpec, invoice_pdf

    client = world.client("alice")
    csrf = client.get("/api/v1/me").json()["csrf_token"]
    data = invoice_pdf(InvoiceSpec(number="U-1"))
    response = client.post("/api/v1/documents", headers={"X-CSRF-Token": csrf},
                           files={"file": ("scan.pdf", data, "application/pdf")})
    assert response.status_code == 200 and response.json()["outcome"] == "stored"
    doc_id = response.json()["document_id"]
    with world.db() as db:
        doc = db.get(Document, doc_id)
    assert doc is not None and doc.state == DocumentState.STORED.value and doc.source == "upload"
    assert doc.envelope["uploaded_by"] == world.users["alice"].id
    assert world.queued("read") == [doc_id]
    again = client.post("/api/v1/documents", headers={"X-CSRF-Token": csrf},
                        files={"file": ("again.pdf", data, "application/pdf")})
    assert again.json()["outcome"] == "duplicate" and again.json()["document_id"] == doc_id


def test_an_oversized_body_is_refused_before_it_is_read(world: World) -> None:
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from review_ui import create_app

    app = create_app(replace(world.ctx, max_upload_bytes=10_000))
    client = TestClient(app)
    response = client.post("/api/v1/documents", content=b"x" * 2_000_000,
                           headers={"content-type": "application/octet-stream"})
    assert response.status_code == 413
    with world.db() as db:
        assert db.execute(select(Document)).first() is None


def test_the_openapi_description_lists_the_actions_and_needs_sign_in(world: World) -> None:
    assert world.client().get("/api/v1/openapi.json").status_code == 401
    spec = world.client("otto").get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    assert "/api/v1/documents/{document_id}/approve" in paths
    assert "/api/v1/documents/{document_id}/holds/{hold_id}/release" in paths
    assert not any(p.startswith("/documents") for p in paths)
    assert spec["components"]["securitySchemes"]["csrf"]["name"] == "X-CSRF-Token"


def test_an_id_beyond_64_bits_is_not_found_rather_than_a_server_error(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from models.migrate import upgrade
    from tests.review_ui.conftest import build_world

    upgrade(f"sqlite:///{tmp_path / 'template.db'}")
    (tmp_path / "w").mkdir()
    world = build_world(tmp_path / "w", tmp_path / "template.db")
    try:
        signed_in = world.client("alice")
        csrf = signed_in.get("/api/v1/me").json()["csrf_token"]
        client = TestClient(world.app, raise_server_exceptions=False)
        client.cookies = signed_in.cookies
        big = 2**63
        statuses = {path: getattr(client, method)(path, headers={"X-CSRF-Token": csrf}).status_code
                    for method, path in (("get", f"/api/v1/documents/{big}"), ("delete", f"/api/v1/views/{big}"),
                                         ("get", f"/documents/{big}"))}
    finally:
        world.rt.close()
    assert all(code in (404, 422) for code in statuses.values()), statuses
