"""Posting an approved invoice to Odoo as a vendor bill, exactly once.

Odoo's ``create`` is not idempotent and a timeout does not stop the server's transaction, so the
posting is a sequence of steps each of which can be repeated safely after a crash at any point:

1. the ``Posting`` row, with its deterministic key, is committed before Odoo is called at all;
2. a bill the posting already made (its stored id), or any non-cancelled bill of the same vendor,
   ``ref`` and type, or one carrying the key, is adopted instead of creating another;
3. before a create, the time it is sent is committed; if no answer comes back, no second create is sent
   until Odoo's own request time limit has passed (the first may still commit) and the lookup of step 2
   has been run again;
4. the bill's id is committed as soon as it is known; the attachment is looked up by bill and file name
   before it is created; ``action_post`` is only called on a bill Odoo reports as draft.

Odoo's refusals (``UserError``, ``ValidationError``, access rules) end the posting as failed with Odoo's
message, for a person to act on and retry; transient failures propagate for the pipeline to retry.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from erp.client import OdooClient, m2o_id
from erp.errors import (
    ErpAccessError,
    ErpAuthenticationError,
    ErpError,
    ErpOutcomeUnknown,
    ErpServerError,
    ErpUserError,
)
from erp.posting_lock import exclusive_posting
from models.base import utcnow
from models.db import transaction
from models.postings import Posting

log = logging.getLogger("payables.erp.posting")

BILL_TYPES = frozenset({"in_invoice", "in_refund"})
# Odoo refusals a person has to act on: retrying the same call cannot succeed.
REFUSALS = (ErpUserError, ErpAccessError, ErpAuthenticationError, ErpServerError)


@dataclass(frozen=True)
class BillLine:
    """One bill line. A line billing a PO line carries ``purchase_line_id``; any other (freight, a fee,
    a discount) carries the policy's ``kind`` and is booked on the account the policy names for it."""

    name: str
    quantity: Decimal
    price_unit: Decimal
    purchase_line_id: int | None = None
    product_id: int | None = None
    uom_id: int | None = None
    tax_ids: tuple[int, ...] | None = None  # None: no taxes given (Odoo applies none)
    kind: str = "goods"  # goods | service | charge | discount | other


@dataclass(frozen=True)
class BillDraft:
    move_type: str  # in_invoice | in_refund
    partner_id: int
    ref: str  # the vendor's invoice number
    invoice_date: date
    company_id: int
    currency: str  # ISO 4217
    lines: tuple[BillLine, ...]
    invoice_date_due: date | None = None
    invoice_origin: str | None = None  # the POs' names
    payment_reference: str | None = None

    def __post_init__(self) -> None:
        if self.move_type not in BILL_TYPES:
            raise ValueError(f"a vendor bill is in_invoice or in_refund, not {self.move_type!r}")
        if not self.ref.strip():
            raise ValueError("a vendor bill needs the vendor's invoice number as its reference")
        if not self.lines:
            raise ValueError("a vendor bill needs at least one line")


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    data: bytes


@dataclass(frozen=True)
class PostingPolicy:
    """``accounts`` maps a non-PO line's kind to an account code in Odoo (``"charge": "600100"``);
    ``"default"`` serves kinds not listed. ``post=False`` leaves the bill in draft for Odoo's own review.
    ``request_limit_s``: Odoo's ``limit_time_real`` (120 s by default) plus a margin: a create sent that
    long ago without an answer has either committed or been killed."""

    post: bool = True
    accounts: Mapping[str, str] = field(default_factory=dict)
    request_limit_s: float = 150.0

    def account_for(self, kind: str) -> str | None:
        return self.accounts.get(kind) or self.accounts.get("default")


@dataclass
class PostingOutcome:
    status: str  # posted | draft | failed
    posting_key: str
    move_id: int | None = None
    move_name: str | None = None
    attachment_id: int | None = None
    adopted: bool = False  # an existing bill was found and taken over instead of creating one
    message: str | None = None
    steps: list[str] = field(default_factory=list)


class PostingFailed(ErpUserError):
    """Posting cannot go on without a person (the message says why); the document goes to
    ``posting_failed`` and can be retried from the queue once the cause is fixed."""

    code = "posting_failed"


def posting_key(document_id: int, sha256: str) -> str:
    """Deterministic per document, and written on the bill, so a bill is found again after a crash."""
    return f"payables-{document_id}-{sha256[:16]}"


def post_vendor_bill(client: OdooClient, sessions: sessionmaker[Session], *, document_id: int, key: str,
                     draft: BillDraft, attachment: Attachment | None, policy: PostingPolicy) -> PostingOutcome:
    """Make (or find) the bill for this document, attach the original, post it. Safe to call again
    after any failure or crash: the result is one bill."""
    with exclusive_posting(sessions, document_id):
        return _post(client, sessions, document_id=document_id, key=key, draft=draft, attachment=attachment,
                     policy=policy)


def _post(client: OdooClient, sessions: sessionmaker[Session], *, document_id: int, key: str, draft: BillDraft,
          attachment: Attachment | None, policy: PostingPolicy) -> PostingOutcome:
    outcome = PostingOutcome(status="failed", posting_key=key)
    odoo = client.for_companies([draft.company_id])
    posting = _begin(sessions, document_id, key)
    try:
        move_id = _ensure_bill(odoo, sessions, posting, draft, policy, outcome)
        outcome.move_id = move_id
        if attachment is not None:
            outcome.attachment_id = _ensure_attachment(odoo, sessions, posting, move_id, attachment)
            outcome.steps.append("attached")
        state, name = _ensure_posted(odoo, move_id, policy, outcome)
    except REFUSALS as exc:
        message = exc.odoo_message or exc.message
        _record(sessions, posting.id, status="failed", last_error=message)
        outcome.message = message
        log.warning("posting of document %s failed: %s", document_id, message)
        return outcome
    outcome.status = "posted" if state == "posted" else "draft"
    outcome.move_name = name
    _record(sessions, posting.id, status=outcome.status, odoo_move_name=name, last_error=None,
            posted_at=utcnow() if state == "posted" else None)
    return outcome


# -- step 1: the posting row ------------------------------------------------------------------------

def _begin(sessions: sessionmaker[Session], document_id: int, key: str) -> Posting:
    with transaction(sessions) as s:
        posting = s.execute(select(Posting).where(Posting.document_id == document_id)).scalar_one_or_none()
        if posting is None:
            posting = Posting(document_id=document_id, posting_key=key, status="pending", attempts=0)
            s.add(posting)
        elif posting.posting_key != key:
            raise PostingFailed(f"document {document_id} was already posted under key {posting.posting_key}, "
                                f"not {key}")
        posting.attempts = (posting.attempts or 0) + 1
        s.flush()
        s.expunge(posting)
    return posting


def _record(sessions: sessionmaker[Session], posting_id: int, **values: Any) -> None:
    with transaction(sessions) as s:
        posting = s.get(Posting, posting_id)
        assert posting is not None
        for name, value in values.items():
            setattr(posting, name, value)


# -- step 2 and 3: the bill -------------------------------------------------------------------------

MOVE_FIELDS = ["id", "name", "state", "partner_id", "ref", "move_type", "company_id"]


def _ensure_bill(odoo: OdooClient, sessions: sessionmaker[Session], posting: Posting, draft: BillDraft,
                 policy: PostingPolicy, outcome: PostingOutcome) -> int:
    if posting.odoo_move_id:
        rows = odoo.read("account.move", [posting.odoo_move_id], MOVE_FIELDS) if _exists(
            odoo, posting.odoo_move_id) else []
        if rows and rows[0]["state"] != "cancel":
            outcome.steps.append("bill known")
            return int(rows[0]["id"])
        if rows:
            raise PostingFailed(f"the bill {rows[0].get('name')} this invoice was posted as has been cancelled in "
                                "Odoo; post it again only after checking why it was cancelled")
        log.warning("the bill %s of posting %s is gone from Odoo; looking for another", posting.odoo_move_id,
                    posting.posting_key)
    existing = find_existing_bill(odoo, draft, posting.posting_key)
    if existing is not None:
        _record(sessions, posting.id, odoo_move_id=existing, status="created")
        outcome.adopted = True
        outcome.steps.append("adopted")
        return existing
    if posting.create_sent_at is not None:
        waited = utcnow() - posting.create_sent_at
        if waited < timedelta(seconds=policy.request_limit_s):
            raise ErpOutcomeUnknown(
                f"an earlier create of this bill got no answer {waited.total_seconds():.0f}s ago and may still be "
                f"running in Odoo; no second create before {policy.request_limit_s:.0f}s have passed",
                model="account.move", method="create")
    vals = bill_values(odoo, draft, posting.posting_key, policy)
    _record(sessions, posting.id, create_sent_at=utcnow(), status="creating")
    try:
        move_id = odoo.create("account.move", vals)
    except ErpOutcomeUnknown:
        # The answer was lost, not necessarily the bill: if it committed, it is there to adopt now.
        existing = find_existing_bill(odoo, draft, posting.posting_key)
        if existing is None:
            raise
        move_id = existing
        outcome.adopted = True
    except ErpError:
        # A definite answer (refused, rolled back, never sent): no create of ours can still commit.
        _record(sessions, posting.id, create_sent_at=None)
        raise
    _record(sessions, posting.id, odoo_move_id=move_id, status="created", create_sent_at=None)
    outcome.steps.append("created")
    return move_id


def _exists(odoo: OdooClient, move_id: int) -> bool:
    return bool(odoo.search("account.move", [("id", "=", move_id)]))


def find_existing_bill(odoo: OdooClient, draft: BillDraft, key: str) -> int | None:
    """A non-cancelled bill for the same vendor, reference and type in the company, or one carrying
    this posting's key (it may have been edited since): the oldest, if several."""
    same = [("partner_id", "=", draft.partner_id), ("ref", "=", draft.ref), ("move_type", "=", draft.move_type),
            ("company_id", "=", draft.company_id), ("state", "!=", "cancel")]
    ids = odoo.search("account.move", same, order="id", limit=1)
    if not ids:
        ids = odoo.search("account.move", [("narration", "ilike", key), ("move_type", "in", sorted(BILL_TYPES)),
                                           ("state", "!=", "cancel")], order="id", limit=1)
    return ids[0] if ids else None


def bill_values(odoo: OdooClient, draft: BillDraft, key: str, policy: PostingPolicy) -> dict[str, Any]:
    currency = odoo.search("res.currency", [("name", "=", draft.currency), ("active", "in", [True, False])],
                           limit=1)
    if not currency:
        raise PostingFailed(f"Odoo has no currency {draft.currency}")
    accounts = _accounts(odoo, draft, policy)
    lines = []
    for line in draft.lines:
        vals: dict[str, Any] = {"name": line.name[:2000] or "/", "quantity": line.quantity,
                                "price_unit": line.price_unit}
        if line.purchase_line_id is not None:
            vals["purchase_line_id"] = line.purchase_line_id
        if line.product_id is not None:
            vals["product_id"] = line.product_id
        if line.uom_id is not None:
            vals["product_uom_id"] = line.uom_id
        if line.tax_ids is not None:
            vals["tax_ids"] = [(6, 0, list(line.tax_ids))]
        if line.purchase_line_id is None and line.product_id is None:
            vals["account_id"] = accounts[line.kind]
        lines.append((0, 0, vals))
    values: dict[str, Any] = {
        "move_type": draft.move_type, "partner_id": draft.partner_id, "ref": draft.ref,
        "invoice_date": draft.invoice_date.isoformat(), "currency_id": currency[0], "company_id": draft.company_id,
        "invoice_line_ids": lines, "narration": f"<p>Posted by payables, key {key}</p>"}
    if draft.invoice_date_due is not None:
        values["invoice_date_due"] = draft.invoice_date_due.isoformat()
    if draft.invoice_origin:
        values["invoice_origin"] = draft.invoice_origin
    if draft.payment_reference:
        values["payment_reference"] = draft.payment_reference
    return values


def _accounts(odoo: OdooClient, draft: BillDraft, policy: PostingPolicy) -> dict[str, int]:
    """Account ids for the kinds of the bill's non-PO lines, by code in the bill's company (Odoo 18
    shares accounts between companies through ``company_ids``, 17 has one ``company_id``)."""
    kinds = sorted({ln.kind for ln in draft.lines if ln.purchase_line_id is None and ln.product_id is None})
    out: dict[str, int] = {}
    if not kinds:
        return out
    company_field = odoo.pick_field("account.account", "company_ids", "company_id")
    for kind in kinds:
        code = policy.account_for(kind)
        if not code:
            raise PostingFailed(f"the posting policy names no account for {kind} lines (posting.accounts.{kind} "
                                "or posting.accounts.default)")
        domain: list[Any] = [("code", "=", code)]
        if company_field == "company_ids":
            domain.append(("company_ids", "in", [draft.company_id]))
        elif company_field == "company_id":
            domain.append(("company_id", "=", draft.company_id))
        found = odoo.search("account.account", domain, limit=1)
        if not found:
            raise PostingFailed(f"Odoo has no account {code} in company {draft.company_id} for {kind} lines; fix "
                                "posting.accounts in the policy")
        out[kind] = found[0]
    return out


# -- step 4: attachment and post --------------------------------------------------------------------

def _ensure_attachment(odoo: OdooClient, sessions: sessionmaker[Session], posting: Posting, move_id: int,
                       attachment: Attachment) -> int:
    found = odoo.search("ir.attachment", [("res_model", "=", "account.move"), ("res_id", "=", move_id),
                                          ("name", "=", attachment.filename)], order="id", limit=1)
    if found:
        attachment_id = found[0]
    else:
        attachment_id = odoo.create("ir.attachment", {
            "name": attachment.filename, "type": "binary", "datas": base64.b64encode(attachment.data).decode(),
            "mimetype": attachment.mimetype, "res_model": "account.move", "res_id": move_id})
    _record(sessions, posting.id, odoo_attachment_id=attachment_id)
    if odoo.has_field("account.move", "message_main_attachment_id"):
        # The bill's preview in Odoo shows its main attachment: the original invoice.
        current = odoo.read("account.move", [move_id], ["message_main_attachment_id"])
        if current and not m2o_id(current[0].get("message_main_attachment_id")):
            odoo.write("account.move", [move_id], {"message_main_attachment_id": attachment_id})
    return attachment_id


def _ensure_posted(odoo: OdooClient, move_id: int, policy: PostingPolicy,
                   outcome: PostingOutcome) -> tuple[str, str | None]:
    state, name = _state(odoo, move_id)
    if state == "draft" and policy.post:
        try:
            result = odoo.call("account.move", "action_post", [move_id])
        except ErpOutcomeUnknown:
            result = None  # posted or not, the state read next says which
        state, name = _state(odoo, move_id)
        if state != "posted" and isinstance(result, dict):
            raise PostingFailed(f"Odoo asks for confirmation ({result.get('res_model') or result.get('name')}) before "
                                f"posting bill {name or move_id}; post it in Odoo")
        if state != "posted":
            raise ErpOutcomeUnknown(f"bill {name or move_id} is still {state} after action_post", model="account.move",
                                    method="action_post")
        outcome.steps.append("posted")
    elif state == "cancel":
        raise PostingFailed(f"bill {name or move_id} is cancelled in Odoo")
    return state, name


def _state(odoo: OdooClient, move_id: int) -> tuple[str, str | None]:
    rows = odoo.read("account.move", [move_id], ["state", "name"])
    if not rows:
        raise PostingFailed(f"bill {move_id} is gone from Odoo")
    name = rows[0].get("name")
    return str(rows[0]["state"]), (str(name) if name and name != "/" else None)


def bills_for(odoo: OdooClient, *, partner_id: int, ref: str, move_type: str = "in_invoice") -> Sequence[int]:
    """Every non-cancelled bill of a vendor with this reference (what tests and checks count)."""
    return odoo.search("account.move", [("partner_id", "=", partner_id), ("ref", "=", ref),
                                        ("move_type", "=", move_type), ("state", "!=", "cancel")])


__all__ = ["Attachment", "BillDraft", "BillLine", "ErpError", "PostingFailed", "PostingOutcome", "PostingPolicy",
           "bills_for", "find_existing_bill", "post_vendor_bill", "posting_key"]
