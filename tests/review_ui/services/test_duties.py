"""Segregation of duties and authority as pure rules over an invoice's facts."""

from __future__ import annotations

from decimal import Decimal

from models.roles import Role
from review_ui.services.duties import InvoiceFacts, OpenHold, Person, approval_barriers, release_barriers

CLERK = Person(1, Role.CLERK, Decimal("5000"))
MANAGER = Person(2, Role.MANAGER, Decimal("50000"))
AUDITOR = Person(3, Role.AUDITOR, None)


def facts(**kw: object) -> InvoiceFacts:
    base: dict[str, object] = {"state": "in_review", "total": Decimal("1200.00"), "currency": "EUR"}
    base.update(kw)
    return InvoiceFacts(**base)  # type: ignore[arg-type]


def test_a_clean_invoice_within_the_limit_may_be_approved_by_a_clerk() -> None:
    assert approval_barriers(CLERK, facts()) == []


def test_whoever_corrected_or_released_cannot_approve() -> None:
    assert "you corrected this invoice" in approval_barriers(CLERK, facts(correctors=frozenset({1})))[0]
    assert "you released one of its holds" in approval_barriers(CLERK, facts(releasers=frozenset({1})))[0]
    assert approval_barriers(MANAGER, facts(correctors=frozenset({1}), releasers=frozenset({1}))) == []


def test_the_uploader_cannot_approve_what_they_uploaded() -> None:
    assert approval_barriers(CLERK, facts(uploaded_by=1)) == ["you uploaded this document; someone else must "
                                                              "approve it"]


def test_nobody_approves_above_their_limit_with_the_numbers_in_the_reason() -> None:
    (reason,) = approval_barriers(CLERK, facts(total=Decimal("5000.01")))
    assert reason == "the total 5,000.01 EUR is above your approval limit 5,000.00"
    assert approval_barriers(CLERK, facts(total=Decimal("5000.00"))) == []
    # A credit note's negative total is judged by its size.
    assert approval_barriers(CLERK, facts(total=Decimal("-6000"))) != []
    assert "no approval limit" in approval_barriers(Person(9, Role.CLERK, None), facts())[0]


def test_open_holds_block_approval_except_the_one_approval_answers() -> None:
    held = facts(open_holds=(OpenHold("PRICE_VARIANCE", "clerk"),))
    assert approval_barriers(MANAGER, held) == ["open holds must be released first: PRICE_VARIANCE"]
    over = facts(total=Decimal("12000"), open_holds=(OpenHold("OVER_AUTHORITY_LIMIT", "manager"),))
    assert approval_barriers(MANAGER, over) == []
    assert "needs approval by a manager" in " ".join(approval_barriers(CLERK, over))


def test_the_required_role_of_the_routing_is_respected() -> None:
    assert "needs approval by a manager" in approval_barriers(CLERK, facts(required_role=Role.MANAGER))[0]


def test_auditors_never_act_and_a_closed_document_is_not_approved() -> None:
    assert approval_barriers(AUDITOR, facts()) == ["auditors read; they do not approve"]
    assert approval_barriers(MANAGER, facts(state="posted"))[0].startswith("the document is posted")


def test_changed_bank_details_need_a_manager_with_a_fresh_code_who_did_not_change_the_iban() -> None:
    f = facts()
    assert "released by a manager" in " ".join(release_barriers(CLERK, "BANK_DETAILS_CHANGED", "manager", f,
                                                                fresh_totp=True))
    assert "fresh code" in release_barriers(MANAGER, "BANK_DETAILS_CHANGED", "manager", f, fresh_totp=False)[0]
    assert release_barriers(MANAGER, "BANK_DETAILS_CHANGED", "manager", f, fresh_totp=True) == []
    changed = facts(corrected_fields={"vendor_iban": frozenset({2})})
    assert "changed the IBAN yourself" in release_barriers(MANAGER, "BANK_DETAILS_CHANGED", "manager", changed,
                                                           fresh_totp=True)[0]


def test_a_clerk_releases_clerk_holds_but_not_manager_holds() -> None:
    assert release_barriers(CLERK, "PRICE_VARIANCE", "clerk", facts(), fresh_totp=False) == []
    assert release_barriers(CLERK, "PO_VENDOR_MISMATCH", "manager", facts(), fresh_totp=False) == [
        "only a manager may release this hold"]
    assert "answered by approving" in release_barriers(MANAGER, "OVER_AUTHORITY_LIMIT", "manager", facts(),
                                                       fresh_totp=False)[0]
