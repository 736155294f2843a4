"""In Chromium, keyboard first: a clerk opens the oldest exception, corrects the invoice number by clicking
the word on the page, releases the price hold and, barred from approving what she corrected, sends it for
approval; a second clerk approves it; a manager signs in with a TOTP code and approves an over-limit
invoice. Each approval posts exactly one vendor bill to the Odoo sandbox (the real posting stage, run by
the in-process worker). Screenshots of the queue, the invoice screen and the dashboard are written to
``artifacts/`` (and to ``docs/images/`` with PAYABLES_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from erp.client import OdooClient, OdooConfig
from erp.sandbox import SandboxServer, new_world
from erp.snapshot_import import import_snapshot
from models.base import utcnow
from models.db import transaction
from models.documents import Document
from models.holds import HoldCode
from models.roles import Role
from tests.erp.snapshots import make_snapshot
from tests.review_ui.backlog import fill_backlog
from tests.review_ui.conftest import World, build_world
from tests.review_ui.factories import PASSWORD, HoldSpec, InvoiceSpec, make_invoice
from tests.review_ui.live import CHROMIUM, CHROMIUM_ARGS, serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
API_KEY = "browser-test-key"
STAFF = (("alice", Role.CLERK, "5000"), ("bob", Role.CLERK, "5000"), ("mia", Role.MANAGER, "50000"))


def order_invoice(snapshot: dict[str, Any], order_id: int, number: str, price_over: dict[int, str]
                  ) -> tuple[InvoiceSpec, dict[str, Any], int, int]:
    """An invoice for what was received on an order of the snapshot, and its match detail (version 1)."""
    m = snapshot["models"]
    order = next(o for o in m["purchase.order"] if o["id"] == order_id)
    partner = next(p for p in m["res.partner"] if p["id"] == order["partner_id"])
    bank = next(b for b in m["res.partner.bank"] if b["partner_id"] == partner["id"])
    lines, detail_lines = [], []
    for i, ln in enumerate(x for x in m["purchase.order.line"] if x["order_id"] == order_id):
        qty = Decimal(ln["qty_received"])
        price = Decimal(price_over.get(ln["id"], ln["price_unit"]))
        amount = (qty * price).quantize(Decimal("0.01"))
        lines.append((ln["name"], str(qty), f"{price:.2f}", f"{amount:.2f}"))
        detail_lines.append({
            "po_line_id": ln["id"], "order": order["name"], "order_id": order_id, "position": i + 1,
            "description": ln["name"], "product_id": ln["product_id"], "kind": "goods", "match": "three-way",
            "uom": "Units", "ordered": ln["product_qty"], "received": ln["qty_received"],
            "billed_in_odoo": ln["qty_invoiced"], "billed_pending": "0", "billed_now": str(qty),
            "po_price": ln["price_unit"], "tax_rate": "19", "receipts": [], "accepted": [],
            "invoice_lines": [{"line": i + 1, "quantity": str(qty), "unit": "pcs", "quantity_in_po_unit": str(qty),
                               "price_in_po_unit": f"{price:.2f}", "amount": f"{amount:.2f}"}],
            "holds": ["PRICE_VARIANCE"] if ln["id"] in price_over else []})
    spec = InvoiceSpec(number=number, vendor=partner["name"], vat=partner["vat"], iban=bank["acc_number"],
                       po=order["name"], date="2025-03-14", lines=tuple(lines))
    detail = {"version": 1, "vendor": {"vendor_id": partner["id"], "method": "vat", "candidates": [
        {"vendor_id": partner["id"], "name": partner["name"], "score": 100.0, "why": ["VAT id matches"]}]},
        "orders": {"orders": [{"id": order_id, "name": order["name"]}]}, "company_id": order["company_id"],
        "lines": detail_lines, "invoice_lines": [
            {"line": i + 1, "description": d, "kind": "po", "po_line_id": dl["po_line_id"], "amount": a}
            for i, ((d, _q, _p, a), dl) in enumerate(zip(lines, detail_lines, strict=True))],
        "routing": {"reasons": ["touched by a person"]}}
    return spec, detail, partner["id"], order["company_id"]


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory, migrated_db: Path) -> Iterator[dict[str, Any]]:
    snapshot = make_snapshot(orders=8)
    with SandboxServer(new_world(snapshot=snapshot, api_key=API_KEY)) as odoo:
        world = build_world(tmp_path_factory.mktemp("browser"), migrated_db, staff=STAFF, settings={
            "odoo_url": odoo.url, "odoo_db": "sandbox", "odoo_user": "admin", "odoo_api_key": API_KEY,
            "worker_threads": 1})
        import_snapshot(snapshot, world.rt.sessions)
        fill_backlog(world.rt.sessions, world.rt.store, open_items=60, history=900, days=30)
        now = utcnow()
        small, small_detail, small_vendor, small_company = order_invoice(snapshot, 606, "DD-2025-0311",
                                                                         {1018: "4.30"})
        big, big_detail, big_vendor, big_company = order_invoice(snapshot, 600, "MS-88121", {})
        with transaction(world.rt.sessions) as db:
            clerk_doc = make_invoice(
                db, world.rt.store, small, misread_number="DD-2O25-0311", received_at=now - timedelta(days=25),
                detail=small_detail, vendor_id=small_vendor, company_id=small_company, site="KA",
                holds=[HoldSpec(HoldCode.PRICE_VARIANCE, "Line 1: billed 4.30 per unit, ordered at 4.10: +4.9%, "
                                "tolerance 2%.", line_ref="1", measured="4.9%", limit="2%")]).document.id
            manager_doc = make_invoice(
                db, world.rt.store, big, received_at=now - timedelta(days=24), detail=big_detail,
                vendor_id=big_vendor, company_id=big_company, site="KA", queue="approvals", required_role="manager",
                holds=[HoldSpec(HoldCode.OVER_AUTHORITY_LIMIT, f"The total {big.total:,.2f} EUR is above the "
                                "clerks' limit of 5,000.00 EUR.", measured=str(big.total), limit="5000")]).document.id
        world.pipeline.start_worker(threads=1)
        odoo_client = OdooClient(OdooConfig(odoo.url, "sandbox", "admin", API_KEY, backoff_s=0.01))
        try:
            with serving(world.app) as url, sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                try:
                    yield {"world": world, "url": url, "browser": browser, "odoo": odoo_client,
                           "clerk_doc": clerk_doc, "clerk_number": small.number, "manager_doc": manager_doc,
                           "manager_number": big.number, "company": big_company}
                finally:
                    browser.close()
        finally:
            world.pipeline.stop()
            odoo_client.close()
            world.rt.close()


def new_page(scene: dict[str, Any]) -> Page:
    context = scene["browser"].new_context(viewport={"width": 1440, "height": 900}, base_url=scene["url"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"ui-{name}.png"
    page.screenshot(path=str(target))
    if os.environ.get("PAYABLES_UPDATE_SCREENSHOTS") == "1":
        # The README's copy: a 128-colour palette keeps it small (a UI has few colours).
        from PIL import Image

        docs = ROOT / "docs" / "images"
        docs.mkdir(parents=True, exist_ok=True)
        with Image.open(target) as image:
            image.convert("RGB").quantize(colors=128, dither=Image.Dither.NONE).save(
                docs / target.name, optimize=True)


def wait_posted(world: World, doc_id: int, timeout_s: float = 60) -> Document:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with world.db() as db:
            doc = db.get(Document, doc_id)
            assert doc is not None
            if doc.state in ("posted", "posting_failed"):
                assert doc.state == "posted", doc.failure_reason
                return doc
        time.sleep(0.2)
    raise AssertionError(f"document {doc_id} was not posted in {timeout_s} s")


def bills(scene: dict[str, Any], number: str) -> int:
    odoo: OdooClient = scene["odoo"].for_companies([scene["company"]])
    return odoo.search_count("account.move", [("ref", "=", number), ("move_type", "=", "in_invoice")])


def test_a_clerk_corrects_by_clicking_the_word_releases_the_hold_and_another_clerk_approves(
        scene: dict[str, Any]) -> None:
    page = new_page(scene)
    doc_id, number = scene["clerk_doc"], scene["clerk_number"]
    sign_in(page, "alice")
    expect(page.locator("h1")).to_contain_text("Queue")
    expect(page.locator("#queue-table tbody tr").first).to_contain_text("DD-2O25-0311")
    shot(page, "queue")
    page.keyboard.press("n")  # the oldest exception
    page.wait_for_url(f"**/documents/{doc_id}")
    expect(page.locator("figure.page img")).to_have_js_property("complete", True)
    # Select the invoice number with the keyboard; its box lights up on the page.
    field = page.locator('.field[data-field="invoice_number"]')
    for _ in range(8):
        if "sel" in (field.get_attribute("class") or ""):
            break
        page.keyboard.press("j")
    expect(field).to_have_class("field low sel")
    expect(page.locator('.box.sel[data-field="invoice_number"]')).to_be_visible()
    # Click the word as printed on the page: it fills the field, with the word's box.
    page.locator("span.w", has_text=number).click()
    expect(page.locator("#f-invoice_number")).to_have_value(number)
    assert page.locator('input[name="bbox:invoice_number"]').input_value().count(",") == 3
    page.keyboard.press("j")
    shot(page, "invoice")
    page.keyboard.press("s")
    expect(page.locator(".flash.ok")).to_have_text("Correction saved as a new version.")
    expect(page.locator("#f-invoice_number")).to_have_value(number)
    # Release the price hold (within a clerk's authority).
    page.keyboard.press("h")
    page.keyboard.type("Price list of 1 March agreed with the vendor")
    page.keyboard.press("Enter")
    expect(page.locator(".flash.ok")).to_have_text("Hold released.")
    # She corrected it and released its hold: the server will not let her approve it.
    expect(page.locator("#approve")).to_be_disabled()
    expect(page.locator("#approve-why")).to_contain_text("you corrected this invoice")
    page.keyboard.press("f")  # send for approval by someone else
    expect(page.locator(".flash.ok")).to_have_text("Sent for approval by someone else.")
    page.locator("button", has_text="Sign out").click()
    page.wait_for_url("**/login")

    sign_in(page, "bob")
    expect(page.locator("h1")).to_contain_text("Queue")
    page.keyboard.press("n")
    page.wait_for_url(f"**/documents/{doc_id}")
    page.keyboard.press("a")
    page.keyboard.type("Checked against the order and the receipt")
    page.keyboard.press("Enter")
    expect(page.locator(".flash.ok")).to_have_text("Approved. The bill is queued for posting to Odoo.")
    posted = wait_posted(scene["world"], doc_id)
    assert posted.invoice_number == number
    assert bills(scene, number) == 1
    page.goto(f"/documents/{doc_id}")
    expect(page.locator("text=Vendor bill")).to_contain_text("BILL/")
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_manager_signs_in_with_totp_and_approves_an_over_limit_invoice(scene: dict[str, Any]) -> None:
    world: World = scene["world"]
    page = new_page(scene)
    doc_id = scene["manager_doc"]
    sign_in(page, "mia")
    page.wait_for_url("**/login/mfa**")
    page.fill("#code", world.code("mia"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Queue")
    page.keyboard.press("g")
    page.keyboard.press("a")
    expect(page.locator("h1")).to_contain_text("Approvals")
    row = page.locator("#queue-table tbody tr").first
    expect(row).to_contain_text(scene["manager_number"])
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/documents/{doc_id}")
    expect(page.locator(".hold")).to_contain_text("Answered by the approval")
    page.keyboard.press("a")
    page.keyboard.press("Enter")
    expect(page.locator(".flash.ok")).to_have_text("Approved. The bill is queued for posting to Odoo.")
    wait_posted(world, doc_id)
    assert bills(scene, scene["manager_number"]) == 1
    page.goto("/dashboard")
    expect(page.locator(".kpi").first).to_be_visible()
    shot(page, "dashboard")
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#help")).to_be_hidden()
    assert page.errors == []  # type: ignore[attr-defined]
