"""Credit notes: each must point at the bill it credits, and may not credit more than that bill."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from matching.duplicates import Earlier
from matching.findings import Finding, amt
from models.holds import HoldCode
from models.identifiers import normalise_ref


def link_credit_note(reference: str | None, total: Decimal | None, vendor_id: int,
                     earlier: Sequence[Earlier]) -> tuple[Earlier | None, list[Finding]]:
    if not reference:
        return None, [Finding(HoldCode.CREDIT_NOTE_UNLINKED,
                              "The credit note names no invoice it credits; find the bill and link it.")]
    wanted = normalise_ref(reference)
    found = [e for e in earlier if e.vendor_id == vendor_id and not e.credit_note and normalise_ref(e.number) == wanted
             and e.state not in ("cancel", "rejected")]
    if not found:
        return None, [Finding(HoldCode.CREDIT_NOTE_UNLINKED,
                              f"The credit note refers to invoice {reference}, which is neither in Odoo nor among "
                              "our documents for this vendor.", measured=reference)]
    original = min(found, key=lambda e: (e.kind != "odoo_bill", e.id))
    if total is not None and original.total is not None and abs(total) > abs(original.total) + Decimal("0.01"):
        return original, [Finding(HoldCode.AMOUNT_VARIANCE,
                                  f"The credit note ({amt(abs(total))}) credits more than invoice {reference} "
                                  f"was for ({amt(abs(original.total))}).", line_ref="total",
                                  measured=amt(abs(total)), limit=amt(abs(original.total)))]
    return original, []
