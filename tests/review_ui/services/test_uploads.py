"""Uploads go through intake; a clinic's clerk can open what they uploaded before matching knows its site."""

from __future__ import annotations

from models.db import transaction
from models.documents import Document
from review_ui.services.uploads import upload
from tests.review_ui.conftest import World
from tests.review_ui.factories import InvoiceSpec, invoice_pdf, works_for
from tests.review_ui.services.test_decisions import actor


def _site(world: World, doc_id: int | None) -> str | None:
    assert doc_id is not None
    with world.db() as db:
        doc = db.get(Document, doc_id)
        assert doc is not None
        return doc.site


def test_a_one_site_clerks_upload_starts_at_their_site_others_wait_for_matching(world: World) -> None:
    with transaction(world.rt.sessions) as db:
        works_for(db, world.users["alice"].id, "HAM")
        works_for(db, world.users["bob"].id, "HAM", "BER")
    one_site = upload(world.ctx, actor(world, "alice"), invoice_pdf(InvoiceSpec(number="U-HAM")), "scan.pdf")
    two_sites = upload(world.ctx, actor(world, "bob"), invoice_pdf(InvoiceSpec(number="U-TWO")), "scan.pdf")
    central = upload(world.ctx, actor(world, "mia"), invoice_pdf(InvoiceSpec(number="U-ALL")), "scan.pdf")
    assert (one_site.outcome, two_sites.outcome, central.outcome) == ("stored", "stored", "stored")
    assert [_site(world, r.document_id) for r in (one_site, two_sites, central)] == ["HAM", None, None]
    assert world.client("alice").get(f"/documents/{one_site.document_id}").status_code == 200
    # Bytes someone else already sent keep that document's site: a duplicate is not re-homed.
    again = upload(world.ctx, actor(world, "alice"), invoice_pdf(InvoiceSpec(number="U-ALL")), "again.pdf")
    assert again.outcome == "duplicate" and again.document_id == central.document_id
    assert _site(world, central.document_id) is None
