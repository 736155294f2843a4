"""The demo: a generated AP world through the whole pipeline on the embedded defaults.

A seeded synthetic world (vendors, products, purchase orders, receipts, and the invoices vendors send in
every rendering) is generated once and cached; its ERP snapshot fills the mirror and a sandbox Odoo that
speaks Odoo's external API; each invoice's primary rendering (digital PDF, scan, e-invoice or e-mail) goes
through intake, reading, extraction, matching and routing; clean invoices are posted to the sandbox Odoo
and exceptions wait in the review queue for the demo users.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ingest.intake import Envelope
from models.db import transaction
from models.documents import Document
from models.mirror import PurchaseOrder, Receipt, Vendor
from models.roles import Role
from payables.outcome import outcomes
from payables.pipeline import Pipeline
from payables.runtime import Runtime

SANDBOX_DB, SANDBOX_LOGIN, SANDBOX_KEY = "sandbox", "admin", "sandbox-api-key"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    limit: Decimal | None
    display_name: str
    one_site: bool = False  # works for the busiest clinic only, as a clinic's own clerk would


DEMO_USERS = (
    DemoUser("clara", Role.CLERK, Decimal("5000"), "Clara Clerk"),
    DemoUser("carl", Role.CLERK, Decimal("5000"), "Carl Clerk"),
    DemoUser("hanna", Role.CLERK, Decimal("5000"), "Hanna Clinic-Clerk", one_site=True),
    DemoUser("martin", Role.MANAGER, Decimal("100000"), "Martin Manager"),
    DemoUser("ada", Role.ADMIN, None, "Ada Admin"),
    DemoUser("audrey", Role.AUDITOR, None, "Audrey Auditor"),
)


@dataclass
class Credentials:
    username: str
    role: str
    password: str
    limit: Decimal | None
    totp_secret: str | None = None
    sites: list[str] = field(default_factory=list)


@dataclass
class DemoSummary:
    invoices: int = 0
    seconds: float = 0.0
    intake: Counter[str] = field(default_factory=Counter)
    states: Counter[str] = field(default_factory=Counter)
    holds: Counter[str] = field(default_factory=Counter)
    mirror: dict[str, int] = field(default_factory=dict)
    bills_in_odoo: int = 0
    renderings: Counter[str] = field(default_factory=Counter)


def ensure_world(folder: Path, *, seed: int, vendors: int, invoices: int) -> Path:
    """Generate the world once; a second demo run with the same seed reuses it."""
    if (folder / "manifest.json").exists():
        return folder
    from synth.config import SynthConfig
    from synth.generate import generate
    from synth.writer import write_world

    tmp = folder.with_name(folder.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    config = SynthConfig(vendors=vendors, invoices=invoices, seed=seed)
    write_world(generate(config), tmp, config.jobs)
    tmp.rename(folder)
    return folder


def primary_documents(world: Path) -> list[tuple[Path, str]]:
    """Each invoice's primary rendering: what that vendor actually sends."""
    out: list[tuple[Path, str]] = []
    for path in sorted((world / "expected").glob("*.json")):
        exp = json.loads(path.read_text(encoding="utf-8"))
        renderings: dict[str, str] = exp.get("renderings") or {}
        primary = exp.get("primary") or "pdf"
        keys = ("facturx", "ubl", "einvoice") if primary == "einvoice" else (primary,)
        chosen = next((renderings[k] for k in keys if k in renderings), None) or renderings.get("pdf")
        if chosen:
            out.append((world / chosen, primary))
    return out


def create_users(rt: Runtime) -> list[Credentials]:
    from review_ui.services.accounts import create_user

    made: list[Credentials] = []
    secret = rt.settings.application_secret()
    with rt.sessions() as s:
        busiest = s.execute(select(Document.site).where(Document.site.is_not(None), Document.state == "in_review")
                            .group_by(Document.site).order_by(func.count().desc(), Document.site).limit(1)).scalar()
    for user in DEMO_USERS:
        password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
        sites = [busiest] if user.one_site and busiest else []
        with transaction(rt.sessions) as db:
            created = create_user(db, secret, username=user.username, role=user.role, password=password,
                                  display_name=user.display_name, approval_limit=user.limit, email=None,
                                  sites=sites)
        made.append(Credentials(user.username, user.role.value, password, user.limit, created.totp_secret, sites))
    return made


def process(pipeline: Pipeline, documents: list[tuple[Path, str]], progress: Any = None) -> DemoSummary:
    summary = DemoSummary(invoices=len(documents))
    started = time.monotonic()
    doc_ids: list[int] = []
    for path, rendering in documents:
        result = pipeline.submit(path.read_bytes(), Envelope(source="demo", filename=path.name,
                                                             source_ref=f"demo:{path.name}"))
        summary.intake[result.outcome] += 1
        summary.renderings[rendering] += 1
        doc_ids.extend(r.document_id for r in result.flatten() if r.document_id is not None)
        if progress:
            progress(1)
    pipeline.drain()
    summary.seconds = time.monotonic() - started
    for o in outcomes(pipeline.rt.sessions, doc_ids):
        if o.state == "split":
            continue  # an e-mail or batch: its documents are counted themselves
        summary.states[o.state] += 1
        summary.holds.update(o.holds)
    with pipeline.rt.sessions() as s:
        summary.mirror = {
            "vendors": s.scalar(select(func.count(Vendor.id))) or 0,
            "purchase orders": s.scalar(select(func.count(PurchaseOrder.id))) or 0,
            "receipts": s.scalar(select(func.count(Receipt.id))) or 0,
        }
        summary.bills_in_odoo = s.scalar(select(func.count(Document.id)).where(Document.state == "posted")) or 0
    return summary


def sandbox_bills(world: Any) -> int:
    """Vendor bills (and refunds) posted in the sandbox Odoo."""
    return sum(1 for rec in world.tables.get("account.move", {}).values()
               if rec.get("move_type") in ("in_invoice", "in_refund") and rec.get("state") == "posted")
