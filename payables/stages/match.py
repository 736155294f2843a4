"""Stage 3: matching. EXTRACTED → MATCHED → AUTO_APPROVED (then posting) or IN_REVIEW (a review task).

The match itself runs outside any write transaction, over a read session on the mirror (refreshed
first from Odoo for the orders the invoice names, when Odoo is configured). Its result is committed
only if the document is still where this stage found it: a second delivery changes nothing.

Hold rows live across runs: a hold raised again keeps its row (and a person's release of it, with who,
when and why), one no longer raised becomes ``cleared``, a new one is ``open``. An invoice a person has
touched (a corrected extraction, a released hold) never posts on its own: someone else approves it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from matching.detail import match_detail
from matching.duplicates import THROUGH
from matching.engine import DocumentContext, MatchOutcome, Release, match_invoice
from matching.findings import Finding, short
from matching.index import IndexCache
from matching.po_numbers import printed_numbers
from matching.policy import Policy, load_policy
from matching.routing import route
from matching.sql_view import SqlMirror
from models.audit import append_audit
from models.base import utcnow
from models.db import transaction
from models.documents import Document
from models.errors import StateConflict
from models.extractions import Extraction
from models.holds import HoldCode
from models.identifiers import normalise_ref
from models.invoice import DocumentType, InvoiceData
from models.lifecycle import move_document
from models.matching import Hold, MatchResult
from models.postings import Posting
from models.review import ReviewTask
from models.states import DocumentState
from payables.runtime import Runtime
from payables.stages import Next
from payables.stages.guard import load, lock

log = logging.getLogger("payables.stages.match")
STAGE = "match"
READY = (DocumentState.EXTRACTED,)
ACTOR = "system:match"
# Serialises the final duplicate check per vendor on PostgreSQL (two copies matched at once).
_DUPLICATE_LOCK = 0x6D61_7463


@dataclass
class Prepared:
    document_id: int
    invoice: InvoiceData
    version: int
    kind: str
    envelope: dict[str, Any]
    sha256: str
    released: dict[tuple[str, str | None, str | None], Release] = field(default_factory=dict)
    own_bills: frozenset[int] = frozenset()

    @property
    def touched_by_a_person(self) -> bool:
        return self.kind == "correction" or bool(self.released)


def run(rt: Runtime, document_id: int) -> list[Next]:
    with transaction(rt.sessions) as s:
        doc = load(s, document_id)
        if doc is None or DocumentState(doc.state) not in READY:
            return []
        prepared = prepare(s, doc)
    refresh_orders(rt, prepared.invoice)
    outcome = evaluate(rt, prepared)
    with transaction(rt.sessions) as s:
        doc = lock(s, document_id, READY)
        if doc is None or current_version(s, document_id) != prepared.version:
            return []
        return record(s, doc, prepared, outcome, policy_of(rt))


# -- the parts, shared with re-evaluation ---------------------------------------------------------

def policy_of(rt: Runtime) -> Policy:
    policy = rt.extras.get("matching.policy")
    if policy is None:
        policy = load_policy(rt.settings.policy_file)
        rt.extras["matching.policy"] = policy
    assert isinstance(policy, Policy)
    return policy


def index_cache(rt: Runtime) -> IndexCache:
    cache = rt.extras.get("matching.index")
    if cache is None:
        cache = rt.extras.setdefault("matching.index", IndexCache())
    assert isinstance(cache, IndexCache)
    return cache


def current_version(s: Session, document_id: int) -> int | None:
    return s.execute(select(func.max(Extraction.version)).where(Extraction.document_id == document_id)).scalar()


def prepare(s: Session, doc: Document) -> Prepared:
    ext = s.execute(select(Extraction).where(Extraction.document_id == doc.id)
                    .order_by(Extraction.version.desc()).limit(1)).scalar_one_or_none()
    if ext is None:
        raise StateConflict(f"document {doc.id} is {doc.state} but has no extraction to match")
    released = {(h.code, h.line_ref, h.measured): Release(h.released_by, h.released_at, h.release_reason)
                for h in s.scalars(select(Hold).where(Hold.document_id == doc.id, Hold.status == "released"))}
    bills = frozenset(b for b in s.scalars(select(Posting.odoo_move_id).where(Posting.document_id == doc.id))
                      if b is not None)
    return Prepared(doc.id, ext.invoice(), ext.version, ext.kind, dict(doc.envelope or {}), doc.sha256, released,
                    bills)


def refresh_orders(rt: Runtime, inv: InvoiceData) -> None:
    """Re-read the orders the invoice names from Odoo if the mirror's copy is older than
    ``mirror_max_age_s``, so a receipt booked a minute ago counts. Only with Odoo configured. When Odoo
    cannot be read the error propagates: the stage is retried, and after its retries the document is
    ``failed`` (visible, retryable) rather than matched on quantities that may be stale."""
    if not rt.settings.odoo_url:
        return
    numbers = printed_numbers(inv.po_numbers, inv.get("po_number"))
    if not numbers:
        return
    from erp.refresh import refresh_orders as erp_refresh

    with transaction(rt.sessions) as s:
        index = index_cache(rt).get(SqlMirror(s))
        # Orders the mirror knows (also under an OCR-mangled number) by id; the others by the printed
        # name, in case they were confirmed in Odoo after the last sync.
        wanted: list[str | int] = []
        for number in numbers:
            ids, _ = index.orders.lookup(number)
            wanted.extend(sorted(ids) if ids else [number])
        report = erp_refresh(rt.odoo, s, wanted, rt.settings.mirror_max_age_s)
    if report.refreshed or report.removed:
        log.info("refreshed orders %s from Odoo before matching (removed %s)", report.refreshed, report.removed)


def evaluate(rt: Runtime, prepared: Prepared) -> MatchOutcome:
    policy = policy_of(rt)
    with rt.sessions() as s:
        mirror = SqlMirror(s)
        index = index_cache(rt).get(mirror)
        ctx = DocumentContext(prepared.document_id, prepared.envelope, audit_key=prepared.sha256, now=utcnow(),
                              released=prepared.released, own_odoo_bill_ids=prepared.own_bills)
        return match_invoice(prepared.invoice, mirror, index, policy, ctx)


def record(s: Session, doc: Document, prepared: Prepared, outcome: MatchOutcome, policy: Policy,
           *, actor: str = ACTOR) -> list[Next]:
    """Write the match run, its holds, the document's new state and its review task."""
    credit = prepared.invoice.document_type == DocumentType.CREDIT_NOTE.value
    if outcome.routing.auto_approve and outcome.vendor_id is not None:
        _recheck_duplicates(s, doc, prepared, outcome, policy)
    auto = outcome.routing.auto_approve and not prepared.touched_by_a_person
    if DocumentState(doc.state) is DocumentState.IN_REVIEW and not auto and _unchanged(s, doc.id, prepared, outcome):
        return []  # re-evaluation found what the last run found: writing it again would only add noise
    run_no = (s.execute(select(func.max(MatchResult.run)).where(MatchResult.document_id == doc.id)).scalar() or 0) + 1
    result = MatchResult(document_id=doc.id, run=run_no, extraction_version=prepared.version,
                         vendor_id=outcome.vendor_id, decision="auto_approve" if auto else "review",
                         required_role=outcome.routing.required_role.value,
                         detail=match_detail(outcome, credit_note=credit))
    s.add(result)
    s.flush()
    changes = _sync_holds(s, doc.id, result.id, outcome)
    _denormalise(doc, outcome)
    summary = {"run": run_no, "holds": outcome.hold_codes, **changes}
    state = DocumentState(doc.state)
    if state is not DocumentState.IN_REVIEW or auto:
        move_document(s, doc, DocumentState.MATCHED, actor=actor, changes=summary)
    if auto:
        move_document(s, doc, DocumentState.AUTO_APPROVED, actor=actor, reason="no open holds")
        _close_task(s, doc.id, "holds cleared; posted on its own")
        return [Next("post", doc.id)]
    reason = _review_reason(outcome, prepared)
    if DocumentState(doc.state) is not DocumentState.IN_REVIEW:
        move_document(s, doc, DocumentState.IN_REVIEW, actor=actor, reason=reason)
    else:
        append_audit(s, actor=actor, action="rematch", document_id=doc.id, changes=summary, reason=reason)
    _open_task(s, doc.id, outcome, reason, prepared)
    return []


def _recheck_duplicates(s: Session, doc: Document, prepared: Prepared, outcome: MatchOutcome,
                        policy: Policy) -> None:
    """The last word on exact duplicates, under a per-vendor lock: of two copies matched at the same
    moment, the one committing second sees the first."""
    vendor_id = outcome.vendor_id
    assert vendor_id is not None
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": _DUPLICATE_LOCK, "b": vendor_id})
    number = normalise_ref(prepared.invoice.get("invoice_number"))
    if not number:
        return
    rivals = s.execute(select(Document.id, Document.invoice_number, Document.state, Document.doc_type).where(
        Document.vendor_id == vendor_id, Document.id != doc.id,
        Document.state.in_(sorted(THROUGH))))
    for rival_id, rival_number, rival_state, rival_type in rivals:
        if normalise_ref(rival_number) == number and (rival_type or "invoice") == prepared.invoice.document_type:
            outcome.findings.append(Finding(
                HoldCode.DUPLICATE_SUSPECTED, f"Possible duplicate (same vendor and invoice number) of document "
                f"{rival_id} ({rival_number}, {rival_state}), let through while this one was being matched.",
                measured=rival_number, evidence={"earlier_document_id": rival_id, "how": "concurrent"}))
            outcome.routing = route(outcome.open_holds, policy, utcnow())
            return


def _unchanged(s: Session, document_id: int, prepared: Prepared, outcome: MatchOutcome) -> bool:
    last = s.scalars(select(MatchResult).where(MatchResult.document_id == document_id)
                     .order_by(MatchResult.run.desc()).limit(1)).first()
    if last is None or last.extraction_version != prepared.version or last.vendor_id != outcome.vendor_id:
        return False
    live = {(h.code, h.line_ref, h.measured) for h in s.scalars(
        select(Hold).where(Hold.document_id == document_id, Hold.status.in_(("open", "released"))))}
    if live != {f.key for f in outcome.holds}:
        return False
    task = s.execute(select(ReviewTask).where(ReviewTask.document_id == document_id, ReviewTask.status == "open")
                     .order_by(ReviewTask.id.desc()).limit(1)).scalar_one_or_none()
    queue = outcome.routing.queue if outcome.open_holds else "approvals"
    return task is not None and (task.queue, task.required_role, task.priority) == (
        queue, outcome.routing.required_role.value, outcome.routing.priority)


def _sync_holds(s: Session, document_id: int, result_id: int, outcome: MatchOutcome) -> dict[str, list[str]]:
    live = {(h.code, h.line_ref, h.measured): h for h in s.scalars(
        select(Hold).where(Hold.document_id == document_id, Hold.status.in_(("open", "released"))))}
    raised, kept = [], []
    seen: set[tuple[str, str | None, str | None]] = set()
    for f in outcome.holds:
        key = f.key
        if key in seen:
            continue
        seen.add(key)
        row = live.pop(key, None)
        if row is None:
            row = Hold(document_id=document_id, code=key[0], line_ref=key[1], measured=key[2], status="open")
            s.add(row)
            raised.append(f.code.value)
        else:
            kept.append(f.code.value)
        row.match_result_id = result_id
        row.limit, row.message, row.evidence, row.release_role = short(f.limit), f.message, f.evidence, f.release_role
    for row in live.values():
        row.status = "cleared"
    return {"raised": raised, "kept": kept, "cleared": [r.code for r in live.values()]}


def _denormalise(doc: Document, outcome: MatchOutcome) -> None:
    doc.vendor_id = outcome.vendor_id
    if outcome.vendor_name:
        doc.vendor_name = outcome.vendor_name
    # The purchase order decides the company and site; without one, keep what the document started with
    # (a clinic clerk's upload, the parts of a split), or it would vanish from that clinic's queue.
    doc.company_id = outcome.company_id or doc.company_id
    doc.site = outcome.site or doc.site


def _review_reason(outcome: MatchOutcome, prepared: Prepared) -> str:
    if not outcome.open_holds:
        return ("corrected or released by a person: another person approves before it posts"
                if prepared.touched_by_a_person else "no holds")
    return "; ".join(dict.fromkeys(f.code.value for f in outcome.open_holds))


def _open_task(s: Session, document_id: int, outcome: MatchOutcome, reason: str, prepared: Prepared) -> None:
    r = outcome.routing
    queue = r.queue if outcome.open_holds else "approvals"
    task = s.execute(select(ReviewTask).where(ReviewTask.document_id == document_id, ReviewTask.status == "open")
                     .order_by(ReviewTask.id.desc()).limit(1)).scalar_one_or_none()
    if task is None:
        task = ReviewTask(document_id=document_id, status="open")
        s.add(task)
    task.queue, task.required_role, task.priority, task.reason = queue, r.required_role.value, r.priority, reason
    task.due_at = r.due_at or task.due_at or utcnow()


def _close_task(s: Session, document_id: int, why: str) -> None:
    for task in s.scalars(select(ReviewTask).where(ReviewTask.document_id == document_id,
                                                   ReviewTask.status == "open")):
        task.status, task.closed_at = "done", utcnow()
        task.reason = f"{task.reason or ''} — {why}".strip(" —")
