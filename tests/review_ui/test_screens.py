"""What the screens show: the invoice beside its page with a box per field, the holds with their sentence
and releasing role, the three-way view, posting status; and a keyboard shortcut on every action."""

from __future__ import annotations

import re

from models.db import transaction
from models.postings import Posting
from models.states import DocumentState
from review_ui.shortcuts import PAGES
from tests.review_ui.conftest import World
from tests.review_ui.factories import BANK_HOLD, PRICE_HOLD, InvoiceSpec, make_invoice


def _doc(world: World, **kw: object) -> int:
    with transaction(world.rt.sessions) as db:
        return make_invoice(db, world.rt.store, **kw).document.id  # type: ignore[arg-type]


def test_the_invoice_screen_ties_every_value_to_its_box_on_the_page(world: World) -> None:
    doc_id = _doc(world, holds=[PRICE_HOLD, BANK_HOLD], misread_number="INV-2O24-0117", po_prices=["11.90", "3.20"])
    html = world.client("alice").get(f"/documents/{doc_id}").text
    boxes = dict(re.findall(r'class="box[^"]*" data-field="([^"]+)" data-b="([^"]+)"', html))
    assert {"invoice_number", "total_amount", "vendor_iban", "line-0-quantity"} <= set(boxes)
    x0, y0, x1, y1 = (float(v) for v in boxes["invoice_number"].split(","))
    assert 150 < x0 < x1 < 300 and 100 < y0 < y1 < 160  # points from the top-left, where it is printed
    assert re.search(r'<span class="w" data-b="[\d.,]+">INV-2024-0117</span>', html)  # the word to click
    assert 'value="INV-2O24-0117"' in html and "41%" in html  # the misread value, with its confidence
    # Holds: the sentence with the numbers and who may release; the bank one asks a manager's code.
    assert "billed 12.50 per unit, ordered at 11.90: +5.0%, tolerance 2%." in html
    assert "released by a clerk" in html and "released by a manager with a fresh authenticator code" in html
    assert "changed bank details are released by a manager" in html  # why alice has no release form for it
    # Three-way: the invoice line beside the order line with the variance.
    assert "1. Nitrile gloves, box of 100" in html and "0.60 (5.0%)" in html


def test_every_action_on_the_screens_has_a_listed_shortcut(world: World) -> None:
    doc_id = _doc(world, holds=[PRICE_HOLD])
    listed = {k for page in PAGES.values() for keys, _ in page for k in re.split(r" / | or ", keys)}
    for path in (f"/documents/{doc_id}", "/queue"):
        html = world.client("mia").get(path).text
        keys = set(re.findall(r'data-key="([^"]+)"', html))
        assert keys <= listed | {"?"}, keys - listed
        for form in re.findall(r"<form method=\"post\".*?</form>", html, re.S):
            action = re.search(r'action="([^"]+)"', form)
            assert action
            if any(a in action.group(1) for a in ("/logout", "/views", "/assign", "/split", "/merge")):
                continue  # mouse-only extras: sign out, saved views, re-assigning, split and merge
            assert "data-key=" in form, f"no shortcut for {action.group(1)}"


def test_a_posted_bill_shows_its_odoo_reference_and_link(world: World) -> None:
    doc_id = _doc(world, spec=InvoiceSpec(number="P-9"), state=DocumentState.POSTED)
    with transaction(world.rt.sessions) as db:
        db.add(Posting(document_id=doc_id, posting_key="payables-doc-1", status="posted", odoo_move_id=77,
                       odoo_move_name="BILL/2024/11/0042"))
    html = world.client("alice").get(f"/documents/{doc_id}").text
    assert "BILL/2024/11/0042" in html
    assert 'href="http://odoo.test/web#id=77&amp;model=account.move&amp;view_type=form"' in html


def test_a_failed_posting_shows_the_error_and_a_retry(world: World) -> None:
    doc_id = _doc(world, spec=InvoiceSpec(number="P-10"), state=DocumentState.POSTING_FAILED)
    with transaction(world.rt.sessions) as db:
        db.add(Posting(document_id=doc_id, posting_key="payables-doc-2", status="failed", attempts=3,
                       last_error="Odoo refused the bill: the vendor's payment terms are archived"))
    html = world.client("alice").get(f"/documents/{doc_id}").text
    assert "payment terms are archived" in html and f'action="/documents/{doc_id}/retry-posting"' in html


def test_failed_and_refused_documents_are_listed_with_their_reasons(world: World) -> None:
    doc_id = _doc(world, spec=InvoiceSpec(number="F-9"), state=DocumentState.FAILED)
    with transaction(world.rt.sessions) as db:
        from models.documents import Document

        doc = db.get(Document, doc_id)
        assert doc is not None
        doc.failed_stage, doc.failure_code, doc.failure_reason = "read", "ocr_timeout", "tesseract took over 60 s"
    html = world.client("alice").get("/queue/failures").text
    assert "tesseract took over 60 s" in html and f'action="/documents/{doc_id}/retry"' in html
    api = world.client("alice").get("/api/v1/failures").json()
    assert api["counts"]["failed"] == 1 and api["items"][0]["reason"] == "tesseract took over 60 s"


def test_an_auditor_sees_everything_and_can_act_on_nothing(world: World) -> None:
    doc_id = _doc(world, holds=[PRICE_HOLD])
    html = world.client("otto").get(f"/documents/{doc_id}").text
    assert "auditors read" in html and f'action="/documents/{doc_id}/approve"' not in html
    assert "readonly" in html
