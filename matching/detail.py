"""The match result as JSON: the three-way view the review screen shows and the posting reads.

Per invoice line: its kind and PO line; per PO line: ordered, received, billed (in Odoo, in flight, on
this invoice), prices, receipts and the holds raised; plus the vendor evidence, the orders and how each
was found, differences accepted within tolerance, every hold with its numbers, and the routing.
"""

from __future__ import annotations

from typing import Any

from matching.engine import MatchOutcome
from matching.invoice_lines import InvoiceLine
from models.money import money_str

DETAIL_VERSION = 1


def _kind(outcome: MatchOutcome, line: InvoiceLine) -> str:
    if outcome.po_line_of(line.index) is not None:
        return "po"
    if line in outcome.charges:
        return "charge"
    if line in outcome.discounts:
        return "discount"
    return "unmatched"


def match_detail(outcome: MatchOutcome, *, credit_note: bool = False) -> dict[str, Any]:
    vendor = outcome.vendor.to_json()
    return {
        "version": DETAIL_VERSION,
        "vendor": vendor,
        "orders": outcome.choice.to_json(),
        "company_id": outcome.company_id,
        "site_id": outcome.site_id,
        "site": outcome.site,
        "lines": [o.to_json() for o in outcome.lines],
        "invoice_lines": [{"line": ln.index + 1, "description": ln.description, "kind": _kind(outcome, ln),
                           "po_line_id": outcome.po_line_of(ln.index),
                           "view_po_line_id": outcome.view_only.get(ln.index), "amount": money_str(ln.value)}
                          for ln in outcome.invoice_lines],
        "accepted_differences": outcome.accepted,
        "holds": [f.to_json() for f in outcome.findings],
        "released": [{"code": k[0], "line_ref": k[1], "measured": k[2], "user_id": r.user_id,
                      "at": r.at.isoformat() if r.at else None, "reason": r.reason}
                     for k, r in outcome.released.items()],
        "notes": outcome.notes,
        "credit_of": outcome.credit_of.to_json() if outcome.credit_of else None,
        "routing": outcome.routing.to_json(),
        "billed": [[line_id, money_str(qty)] for line_id, qty in outcome.billed(credit_note)],
    }
