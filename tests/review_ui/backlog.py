"""A busy AP department in bulk: open review items with holds across sites and vendors, and a history
of posted, touchless and reviewed invoices with a valid audit chain, inserted in batches. The bench
(10,000 open items) and the screenshots use it."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from ingest.storage import ObjectStore
from models.audit import GENESIS, AuditEntry, entry_hash
from models.base import utcnow
from models.documents import Document, Page
from models.extractions import Extraction
from models.holds import HOLD_SPECS, HoldCode
from models.matching import Hold, MatchResult
from models.postings import Posting
from models.review import ReviewTask
from tests.review_ui.factories import InvoiceSpec, _pages, invoice_pdf, machine_reading, price_detail

SITES = ("HAM", "BER", "MUC", "KOE", "FRA", "STR", "DUS", "LEI", "DRE", "HAN", "NUE", "BRE")
VENDORS = ("Nordlicht Medical GmbH", "Alpha Surgical AB", "Beta Pharma SA", "Gamma Labs Ltd", "Delta Dental BV",
           "Epsilon Imaging GmbH", "Zeta Cleaning Services", "Eta Orthopaedics SARL", "Theta Lab Supplies",
           "Iota Hospital IT Inc", "Kappa Linen KG", "Lambda Catering GmbH")
COMMON = (HoldCode.PRICE_VARIANCE, HoldCode.QTY_OVER_RECEIVED, HoldCode.NOT_RECEIVED, HoldCode.LOW_CONFIDENCE,
          HoldCode.PO_MISSING, HoldCode.VENDOR_UNKNOWN, HoldCode.DUPLICATE_SUSPECTED, HoldCode.TAX_MISMATCH,
          HoldCode.OVER_AUTHORITY_LIMIT, HoldCode.BANK_DETAILS_CHANGED, HoldCode.MISSING_FIELD)
WEIGHTS = (30, 18, 14, 12, 8, 5, 4, 3, 3, 2, 1)
MESSAGES = {
    HoldCode.PRICE_VARIANCE: "Line 1: billed {p} per unit, ordered at {q}: +{v}%, tolerance 2%.",
    HoldCode.QTY_OVER_RECEIVED: "Line 2: billed 20, received 16 and not yet billed; tolerance 0.",
    HoldCode.NOT_RECEIVED: "Line 1: nothing received yet for 40 units billed.",
    HoldCode.LOW_CONFIDENCE: "Invoice number read with 41% confidence (threshold 80%).",
    HoldCode.PO_MISSING: "No purchase order printed, and none of the vendor's 3 open orders explains the lines.",
    HoldCode.VENDOR_UNKNOWN: "No vendor with this VAT id, IBAN, e-mail domain or a similar name.",
    HoldCode.DUPLICATE_SUSPECTED: "Same vendor and invoice number as a bill posted on 2024-10-02.",
    HoldCode.TAX_MISMATCH: "Tax billed 35.91, the order's tax codes give 13.23.",
    HoldCode.OVER_AUTHORITY_LIMIT: "The total {t} EUR is above the clerks' limit of 5,000.00 EUR.",
    HoldCode.BANK_DETAILS_CHANGED: "The IBAN on the invoice is not among the vendor's bank accounts in Odoo.",
    HoldCode.MISSING_FIELD: "The invoice date could not be found on the document.",
}


def _chain(db: Session) -> str:
    last = db.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    return last or GENESIS


def fill_backlog(sessions: sessionmaker[Session], store: ObjectStore, *, open_items: int, history: int = 0,
                 days: int = 30, seed: int = 7, now: datetime | None = None, batch: int = 1000) -> list[int]:
    """Insert ``open_items`` documents in review and ``history`` finished ones over ``days`` days; returns
    the open documents' ids (oldest first). One real PDF, read once, backs every document's viewer."""
    rnd = random.Random(seed)
    now = now or utcnow()
    spec = InvoiceSpec(number="BK-2024-0001")
    pdf = invoice_pdf(spec)
    info = store.put(pdf, content_type="application/pdf")
    (page,) = _pages(pdf)
    words = [w.to_list() for w in page.words]
    data = machine_reading(spec, page).to_json()
    detail = price_detail(spec, ["11.90", "3.20"], ["10", "20"])
    open_ids: list[int] = []
    with sessions() as db:
        first_id = (db.execute(select(func.max(Document.id))).scalar() or 0) + 1
        prev = _chain(db)
    plan: list[dict[str, Any]] = []
    for i in range(open_items + history):
        is_open = i < open_items
        received = now - timedelta(days=rnd.uniform(0, days if not is_open else min(days, 20)),
                                   minutes=rnd.randint(0, 600))
        total = Decimal(rnd.choice((rnd.randint(40, 900), rnd.randint(900, 4800), rnd.randint(5000, 40000)))) \
            + Decimal(rnd.randint(0, 99)) / 100
        codes = list(dict.fromkeys(rnd.choices(COMMON, WEIGHTS, k=rnd.choice((1, 1, 1, 2)))))
        if total > 5000 and HoldCode.OVER_AUTHORITY_LIMIT not in codes and rnd.random() < 0.5:
            codes.append(HoldCode.OVER_AUTHORITY_LIMIT)
        touchless = not is_open and rnd.random() < 0.72
        plan.append({"id": first_id + i, "open": is_open, "received": received, "total": total,
                     "codes": [] if touchless else codes, "touchless": touchless,
                     "site": rnd.choice(SITES), "vendor": rnd.choice(VENDORS),
                     "number": f"{rnd.choice(('INV', 'RE', 'FA', 'F'))}-{rnd.randint(1000, 99999)}",
                     "cycle_h": rnd.uniform(0.05, 2.0) if touchless else rnd.uniform(4, 120),
                     # About two in five exceptions had a misread field corrected by a clerk.
                     "corrected": rnd.random() < 0.4})
    for start in range(0, len(plan), batch):
        chunk = plan[start:start + batch]
        with sessions() as db, db.begin():
            prev = _insert(db, chunk, now=now, info_key=info.key, size=len(pdf), page=(page.width, page.height),
                           words=words, data=data, detail=detail, prev=prev, rnd=rnd)
        open_ids.extend(p["id"] for p in chunk if p["open"])
    return sorted(open_ids, key=lambda d: plan[d - first_id]["received"])


def _insert(db: Session, chunk: list[dict[str, Any]], *, now: datetime, info_key: str, size: int,
            page: tuple[float, float], words: list[Any], data: dict[str, Any], detail: dict[str, Any], prev: str,
            rnd: random.Random) -> str:
    docs, pages, extractions, results, holds, tasks, postings, audit = [], [], [], [], [], [], [], []
    for p in chunk:
        doc_id, received = p["id"], p["received"]
        posted_at = received + timedelta(hours=p["cycle_h"])
        finished = not p["open"] and posted_at < now
        state = "in_review" if p["open"] else ("posted" if finished else "approved")
        docs.append({"id": doc_id, "sha256": hashlib.sha256(f"backlog-{doc_id}".encode()).hexdigest(),
                     "size": size, "media_type": "application/pdf", "object_key": info_key,
                     "filename": f"{p['number']}.pdf", "source": "email", "envelope": {}, "state": state,
                     "attempts": 0, "page_count": 1, "doc_type": "invoice", "company_id": 1 + doc_id % 2,
                     "site": p["site"], "vendor_id": 10 + VENDORS.index(p["vendor"]), "vendor_name": p["vendor"],
                     "invoice_number": p["number"], "invoice_date": received.date().isoformat(), "currency": "EUR",
                     "total_amount": p["total"], "received_at": received, "updated_at": received})
        pages.append({"document_id": doc_id, "number": 1, "width": page[0], "height": page[1],
                      "text_source": "text_layer", "rotation": 0, "words": words})
        extractions.append({"document_id": doc_id, "version": 1, "kind": "machine", "engine": "layout-bench",
                            "created_at": received, "data": data, "created_by": None})
        if p["codes"] and p["corrected"]:
            extractions.append({"document_id": doc_id, "version": 2, "kind": "correction", "engine": "user:alice",
                                "created_at": received + timedelta(hours=1), "data": data, "created_by": None})
        results.append({"id": doc_id, "document_id": doc_id, "run": 1, "extraction_version": 1,
                        "vendor_id": 10, "decision": "review" if p["codes"] else "auto_approve",
                        "required_role": "manager" if HoldCode.OVER_AUTHORITY_LIMIT in p["codes"] else "clerk",
                        "detail": detail, "created_at": received})
        for code in p["codes"]:
            message = MESSAGES[code].format(p="12.50", q="11.90", v="5.0", t=f"{p['total']:,.2f}")
            holds.append({"document_id": doc_id, "match_result_id": doc_id, "code": code.value, "message": message,
                          "evidence": {}, "release_role": HOLD_SPECS[code].release_role.value,
                          "status": "open" if p["open"] else "released", "created_at": received})
        if p["open"]:
            manager = HoldCode.OVER_AUTHORITY_LIMIT in p["codes"]
            tasks.append({"document_id": doc_id, "status": "open", "queue": "approvals" if manager else "exceptions",
                          "required_role": "manager" if manager else "clerk", "priority": 50,
                          "reason": ", ".join(c.value for c in p["codes"]), "created_at": received,
                          "due_at": received + timedelta(days=rnd.choice((1, 2, 3, 5))), "closed_at": None})
        elif p["codes"]:
            tasks.append({"document_id": doc_id, "status": "done", "queue": "exceptions", "required_role": "clerk",
                          "priority": 50, "reason": ", ".join(c.value for c in p["codes"]), "created_at": received,
                          "closed_at": received + timedelta(hours=p["cycle_h"] * 0.9), "due_at": None})
        if finished:
            postings.append({"document_id": doc_id, "posting_key": f"payables-bench-{doc_id}", "status": "posted",
                             "odoo_move_id": doc_id, "odoo_move_name": f"BILL/2024/{doc_id:05d}", "attempts": 1,
                             "created_at": posted_at, "posted_at": posted_at})
        steps = [("matched", "in_review")] if p["codes"] else [("matched", "auto_approved")]
        for before, after in steps:
            entry = AuditEntry(at=received + timedelta(minutes=2), actor="system:match", user_id=None,
                               document_id=doc_id, action="state", from_state=before, to_state=after, changes={},
                               reason=None, prev_hash=prev)
            entry.hash = entry_hash(prev, entry)
            prev = entry.hash
            audit.append({k: getattr(entry, k) for k in ("at", "actor", "user_id", "document_id", "action",
                                                         "from_state", "to_state", "changes", "reason",
                                                         "prev_hash", "hash")})
    for table, rows in ((Document, docs), (Page, pages), (Extraction, extractions), (MatchResult, results),
                        (Hold, holds), (ReviewTask, tasks), (Posting, postings), (AuditEntry, audit)):
        if rows:
            db.execute(insert(table), rows)
    return prev
