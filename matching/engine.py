"""Matching one invoice: the order of the checks, and the outcome they add up to.

Vendor first, since nothing else can be judged without it; then the orders, the lines and their
checks, the invoice's own arithmetic and tax, duplicates and anomalies, the authority limits, and at
the end the routing. Holds a person released on an earlier run stay released while the same hold
(same code, line and measured value) comes back; a changed value opens it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from matching.anomalies import first_invoice, split_invoices, unusual_amount
from matching.credit_notes import link_credit_note
from matching.duplicates import Earlier, InvoiceKey, earlier_from, find_duplicates
from matching.extraction_checks import field_findings, not_an_invoice, warning_findings
from matching.findings import Finding, Outcome
from matching.index import MatchIndex
from matching.invoice_lines import InvoiceLine, LineKind, header_amount, parse_lines
from matching.line_assignment import assign_lines, join_lines
from matching.line_checks import LineOutcome, check_lines
from matching.mirror_view import MirrorView
from matching.order_lines import PENDING_STATES, load_po_lines
from matching.orders import OrderChoice, choose_orders, infer_for_rest, lookup_printed
from matching.po_numbers import printed_numbers
from matching.policy import Policy, RuleScope
from matching.routing import (
    Routing,
    audit_finding,
    authority_findings,
    matrix_role,
    route,
    sampled_for_audit,
)
from matching.totals import (
    TotalsOutcome,
    charges_and_discounts,
    check_accepted_variance,
    check_arithmetic,
    check_charges,
    check_currency,
    check_tax,
)
from matching.vendors import NameThresholds, VendorClues, VendorResolution, iban_finding, resolve_vendor
from models.holds import HoldCode
from models.invoice import DocumentType, InvoiceData
from models.roles import Role

ZERO = Decimal(0)
HoldKey = tuple[str, str | None, str | None]


@dataclass(frozen=True)
class Release:
    """A person's release of a hold on an earlier run: kept, with who, when and why."""

    user_id: int | None
    at: datetime | None
    reason: str | None


@dataclass(frozen=True)
class DocumentContext:
    document_id: int | None = None
    envelope: Mapping[str, Any] = field(default_factory=dict)
    audit_key: str = ""
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    released: Mapping[HoldKey, Release] = field(default_factory=dict)
    own_odoo_bill_ids: frozenset[int] = frozenset()


@dataclass
class MatchOutcome:
    vendor: VendorResolution
    invoice_lines: list[InvoiceLine]
    findings: list[Finding]
    routing: Routing
    choice: OrderChoice = field(default_factory=OrderChoice)
    lines: list[LineOutcome] = field(default_factory=list)
    charges: list[InvoiceLine] = field(default_factory=list)
    discounts: list[InvoiceLine] = field(default_factory=list)
    unmatched: list[InvoiceLine] = field(default_factory=list)
    accepted: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    vendor_name: str | None = None
    company_id: int | None = None
    site_id: int | None = None
    site: str | None = None
    credit_of: Earlier | None = None
    released: Mapping[HoldKey, Release] = field(default_factory=dict)
    # Invoice line → the line of a closed or another vendor's order it bills: for the clerk, not billable.
    view_only: dict[int, int] = field(default_factory=dict)

    @property
    def holds(self) -> list[Finding]:
        return [f for f in self.findings if f.outcome is Outcome.HOLD]

    @property
    def open_holds(self) -> list[Finding]:
        return [f for f in self.holds if f.key not in self.released]

    @property
    def hold_codes(self) -> list[str]:
        return sorted({f.code.value for f in self.open_holds})

    @property
    def vendor_id(self) -> int | None:
        return self.vendor.vendor_id

    def po_line_of(self, invoice_index: int) -> int | None:
        for o in self.lines:
            for p in o.pairings:
                if p.invoice.index == invoice_index:
                    return o.po.id
        return None

    def billed(self, credit_note: bool = False) -> tuple[tuple[int, Decimal], ...]:
        sign = -1 if credit_note else 1
        return tuple((o.po.id, sign * o.billed) for o in self.lines if o.billed)


def match_invoice(inv: InvoiceData, mirror: MirrorView, index: MatchIndex, policy: Policy,
                  ctx: DocumentContext | None = None) -> MatchOutcome:
    ctx = ctx or DocumentContext()
    lines = parse_lines(inv)
    findings: list[Finding] = []
    wrong_type = not_an_invoice(inv)
    if wrong_type is not None:
        vendor = VendorResolution(None, "none")
        return _finish(MatchOutcome(vendor, lines, [wrong_type], _placeholder()), policy, ctx, None)

    total, net, tax = (header_amount(inv, n) for n in ("total_amount", "net_amount", "tax_amount"))
    currency = (inv.get("currency") or "").upper() or None
    credit = inv.document_type == DocumentType.CREDIT_NOTE.value
    looked = lookup_printed(printed_numbers(inv.po_numbers, inv.get("po_number")), index.orders)
    clues = VendorClues(
        name=inv.get("vendor_name"), vat=inv.get("vendor_vat"), iban=inv.get("vendor_iban"),
        address=inv.get("vendor_address"), email_domain=_domain(ctx.envelope),
        po_vendor_ids=frozenset(index.orders.vendor_of[i] for ids, _ in looked.values() for i in ids))
    th = policy.vendor
    vendor = resolve_vendor(clues, index.vendors, NameThresholds(th.name_accept, th.name_margin, th.name_consider))
    findings += vendor.findings
    findings += field_findings(inv, policy)
    warned, notes = warning_findings(inv)
    findings += warned
    totals = TotalsOutcome()
    check_arithmetic(lines, net, tax, total, policy, RuleScope(vendor=vendor.vendor_id), totals)
    outcome = MatchOutcome(vendor, lines, findings, _placeholder(), notes=notes)
    if vendor.vendor_id is None:
        findings += totals.findings
        outcome.accepted = totals.accepted
        return _finish(outcome, policy, ctx, total)

    vid = vendor.vendor_id
    outcome.vendor_name = index.vendors.name_of(vid)
    bank = iban_finding(vid, clues, index.vendors)
    if bank is not None:
        findings.append(bank)
    sharing = index.vendors.vendors_sharing_accounts(vid)
    prior = mirror.prior_documents({vid, *sharing}, ctx.document_id)
    earlier = earlier_from(prior, mirror.bills({vid, *sharing}), ctx.document_id, ctx.own_odoo_bill_ids)
    own_prior = [d for d in prior if d.vendor_id == vid]
    items = [ln for ln in lines if ln.kind_hint is LineKind.ITEM]
    uoms = mirror.uoms()

    if credit:
        outcome.credit_of, linked = link_credit_note(inv.get("credit_note_ref"), total, vid, earlier)
        findings += linked
        # For posting, lines are linked to the order they credit; quantities and prices are not held.
        choice = choose_orders(looked, vid, mirror, items, own_prior, index.vendors) if looked else OrderChoice()
        pairings, leftover = assign_lines(lines, choice.lines, uoms)
        outcome.lines = check_lines(pairings, policy, company=_company(choice, index, vid), vendor=vid,
                                    credit_note=True)
        outcome.choice = choice
        outcome.charges, outcome.discounts, outcome.unmatched = charges_and_discounts(leftover)
    else:
        _match_orders(outcome, looked, vid, mirror, index, policy, items, own_prior, totals, currency, tax)
    findings += totals.findings
    outcome.accepted = totals.accepted

    orders, documents = _accounted_for(outcome, own_prior)
    key = InvoiceKey(ctx.document_id, vid, inv.get("invoice_number"), _date(inv), total, currency, credit,
                     orders, documents)
    findings += find_duplicates(key, earlier, frozenset(sharing), policy)
    for anomaly in (split_invoices(total, key.invoice_date, earlier, vid, policy),
                    unusual_amount(total, currency, earlier, vid, policy),
                    first_invoice(earlier, vid, policy)):
        if anomaly is not None:
            findings.append(anomaly)
    outcome.company_id = _company(outcome.choice, index, vid)
    if outcome.company_id is None and outcome.credit_of is not None:
        # A credit note without an order is booked in the company of the bill it credits.
        outcome.company_id = outcome.credit_of.company_id
    outcome.site_id, outcome.site = _site(outcome.choice, index)
    _corroborate(outcome, inv)
    v = index.vendors.vendors.get(vid)
    findings += authority_findings(policy, total, currency, category=_category(outcome), site=outcome.site,
                                   company=outcome.company_id, vendor_limit=v.invoice_limit if v else None,
                                   vendor_name=v.name if v else f"vendor {vid}")
    return _finish(outcome, policy, ctx, total)


def _match_orders(outcome: MatchOutcome, looked: Mapping[str, tuple[set[int], str]], vid: int,
                  mirror: MirrorView, index: MatchIndex, policy: Policy, items: list[InvoiceLine],
                  own_prior: list[Any], totals: TotalsOutcome, currency: str | None, tax: Decimal | None) -> None:
    choice = choose_orders(looked, vid, mirror, items, own_prior, index.vendors)
    outcome.choice = choice
    outcome.findings += choice.findings
    company = _company(choice, index, vid)
    scope = RuleScope(company=company, vendor=vid)
    live = [o for o in choice.orders if o.id not in choice.closed]
    usable = [ln for ln in choice.lines if ln.order.id not in choice.closed]
    pairings, leftover = assign_lines(outcome.invoice_lines, usable, mirror.uoms(), join=False)
    rest = [ln for ln in leftover if ln.kind_hint is LineKind.ITEM]
    if rest and live and not choice.blocked and not choice.inferred:
        more = infer_for_rest(vid, mirror, rest, own_prior, choice.orders)
        if more is not None:
            extra, leftover = assign_lines(leftover, more.lines, mirror.uoms(), join=False)
            pairings += extra
            choice.orders += more.orders
            choice.lines += more.lines
            choice.notes += [{**n, "how": "inferred for lines the named orders do not have"} for n in more.notes]
            live += more.orders
    currency_findings, skip = check_currency(currency, live, policy, scope)
    outcome.findings += currency_findings
    joined, leftover = join_lines(leftover, usable, mirror.uoms())
    pairings = sorted(pairings + joined, key=lambda p: p.invoice.index)
    outcome.lines = check_lines(pairings, policy, company=company, vendor=vid, skip_orders=skip)
    for o in outcome.lines:
        outcome.findings += o.findings
    charges, discounts, unmatched = charges_and_discounts(leftover)
    outcome.charges, outcome.discounts, outcome.unmatched = charges, discounts, unmatched
    _view_only(outcome, leftover, choice, mirror)
    if not choice.blocked:
        for ln in unmatched:
            outcome.findings.append(Finding(
                HoldCode.LINE_UNMATCHED,
                f"{ln.label}: no line of {', '.join(o.name for o in live) or 'the order'} explains it "
                f"({ln.value} billed).", line_ref=ln.ref, measured=str(ln.value)))
    if skip:
        return
    goods = sum((ln.value for ln in outcome.invoice_lines if ln not in charges and ln not in discounts), ZERO)
    check_charges(charges, goods, policy, scope, totals)
    check_tax(outcome.invoice_lines, outcome.lines, tax, policy, scope, totals)
    check_accepted_variance(outcome.lines, policy, scope, totals)


# Holds that would leave a value's second reading unconfirmed.
_TOTAL_DOUBTS = frozenset({HoldCode.ARITHMETIC_ERROR, HoldCode.TAX_MISMATCH, HoldCode.AMOUNT_VARIANCE,
                           HoldCode.LINE_UNMATCHED, HoldCode.PRICE_VARIANCE})


def _corroborate(outcome: MatchOutcome, inv: InvoiceData) -> None:
    """A required field read with low confidence but confirmed by an independent reading is not held
    for it: the currency when every order billed is in that currency; the total when the lines, read
    one by one, add up to the net, net plus tax gives the total, and every line is explained by the
    order at its price. Each waiver is recorded with what confirmed it."""
    codes = {f.code for f in outcome.findings}
    live = [o for o in outcome.choice.orders if o.id not in outcome.choice.closed]
    confirmed: dict[str, str] = {}
    currency = (inv.get("currency") or "").upper()
    if live and currency and all(o.currency.upper() == currency for o in live):
        confirmed["currency"] = f"the currency of {', '.join(o.name for o in live)}"
    lines_ok = outcome.lines and not outcome.unmatched and not codes & _TOTAL_DOUBTS
    if lines_ok and all(inv.get(n) for n in ("net_amount", "tax_amount", "total_amount")):
        confirmed["total_amount"] = "the lines add up to the net, net plus tax to the total, and the order " \
                                    "explains every line"
    kept = []
    for f in outcome.findings:
        if f.code is HoldCode.LOW_CONFIDENCE and f.line_ref in confirmed:
            outcome.accepted.append({"check": "confidence", "field": f.line_ref, "measured": f.measured,
                                     "confirmed_by": confirmed[f.line_ref]})
        else:
            kept.append(f)
    outcome.findings[:] = kept


QUANTITY_HOLDS = frozenset({HoldCode.QTY_OVER_ORDERED, HoldCode.QTY_OVER_RECEIVED, HoldCode.NOT_RECEIVED,
                            HoldCode.LINE_UNMATCHED, HoldCode.PO_CLOSED})


def _accounted_for(outcome: MatchOutcome, prior: list[Any]) -> tuple[frozenset[str], frozenset[int]]:
    """The orders (and our earlier documents on them) whose billed quantities already include every
    earlier bill on them, when this invoice fits in what remains: then it bills other goods."""
    if not outcome.lines or any(f.code in QUANTITY_HOLDS for f in outcome.holds):
        return frozenset(), frozenset()
    line_ids = {o.po.id for o in outcome.lines}
    # Our documents count only where their quantities are in "billed before" (decided or posted).
    documents = frozenset(d.document_id for d in prior if (d.state in PENDING_STATES or d.state == "posted")
                          and any(lid in line_ids for lid, _ in d.billed))
    return frozenset(o.po.order.name for o in outcome.lines), documents


def _view_only(outcome: MatchOutcome, leftover: list[InvoiceLine], choice: OrderChoice, mirror: MirrorView) -> None:
    """Lines left over because their order is closed or another vendor's: which of its lines they bill,
    so the review screen can show them side by side."""
    blocked = [o for o in choice.orders if o.id in choice.closed] + choice.foreign
    if not leftover or not blocked:
        return
    lines = [ln for o in blocked for ln in load_po_lines(mirror, [o], o.vendor_id, [])]
    pairs, _ = assign_lines(leftover, lines, mirror.uoms())
    outcome.view_only = {p.invoice.index: p.po.id for p in pairs}


def _finish(outcome: MatchOutcome, policy: Policy, ctx: DocumentContext, total: Decimal | None) -> MatchOutcome:
    outcome.released = ctx.released
    if not outcome.open_holds and sampled_for_audit(policy, ctx.audit_key or str(ctx.document_id)):
        outcome.findings.append(audit_finding(policy))
    role, _ = matrix_role(policy, total, category=_category(outcome), site=outcome.site, company=outcome.company_id)
    outcome.routing = route(outcome.open_holds, policy, ctx.now, matrix=role)
    return outcome


def _placeholder() -> Routing:
    return Routing("review", Role.CLERK, "exceptions", 0, None, ())


def _domain(envelope: Mapping[str, Any]) -> str | None:
    value = envelope.get("mail_from_domain")
    return str(value).lower() if value else None


def _date(inv: InvoiceData) -> Any:
    try:
        return inv.date("invoice_date")
    except ValueError:
        return None


def _company(choice: OrderChoice, index: MatchIndex, vendor_id: int) -> int | None:
    for o in choice.orders:
        if o.company_id is not None:
            return o.company_id
    v = index.vendors.vendors.get(vendor_id)
    return v.company_id if v else None


def _site(choice: OrderChoice, index: MatchIndex) -> tuple[int | None, str | None]:
    for o in choice.orders:
        if o.site_id is not None:
            s = index.sites.get(o.site_id)
            return o.site_id, (s.code or s.name) if s else None
    return None, None


def _category(outcome: MatchOutcome) -> str | None:
    """The product category carrying most of the invoice's value (for the approval matrix)."""
    weight: dict[str, Decimal] = {}
    for o in outcome.lines:
        if o.po.category:
            weight[o.po.category] = weight.get(o.po.category, ZERO) + abs(o.billed * o.po.line.price_unit)
    return max(weight, key=lambda k: weight[k]) if weight else None
