"""Claim, give back and assign: an item only ever goes to someone who can open it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.audit import AuditEntry
from models.db import transaction
from models.review import ReviewTask
from review_ui.services import assignment
from review_ui.services.errors import InvalidInput
from tests.review_ui.conftest import World
from tests.review_ui.factories import PRICE_HOLD, InvoiceSpec, make_invoice, works_for
from tests.review_ui.services.test_decisions import actor


def _item(world: World, number: str, site: str | None) -> int:
    with transaction(world.rt.sessions) as db:
        return make_invoice(db, world.rt.store, InvoiceSpec(number=number), holds=[PRICE_HOLD], site=site).document.id


def _assignee(world: World, doc_id: int) -> int | None:
    with world.db() as db:
        return db.execute(select(ReviewTask.assignee_id).where(ReviewTask.document_id == doc_id)).scalar_one()


def test_an_item_is_not_assigned_to_someone_who_cannot_see_its_site(world: World) -> None:
    hamburg, unknown = _item(world, "A-HAM", "HAM"), _item(world, "A-NUL", None)
    with transaction(world.rt.sessions) as db:
        works_for(db, world.users["bob"].id, "BER")
        works_for(db, world.users["alice"].id, "HAM", "BER")
    with pytest.raises(InvalidInput, match="bob works for sites BER only and cannot see site HAM") as refused:
        assignment.assign(world.ctx, actor(world, "mia"), hamburg, "bob")
    assert refused.value.fields == {"assignee": "not at this site"}
    with pytest.raises(InvalidInput, match="cannot see a document whose site is not known yet"):
        assignment.assign(world.ctx, actor(world, "mia"), unknown, "alice")
    assert _assignee(world, hamburg) is None and _assignee(world, unknown) is None
    # Someone whose sites include it, or the central team (every site), may have it.
    assignment.assign(world.ctx, actor(world, "mia"), hamburg, "alice")
    assignment.assign(world.ctx, actor(world, "mia"), unknown, "max")
    assert (_assignee(world, hamburg), _assignee(world, unknown)) == (world.users["alice"].id, world.users["max"].id)
    with world.db() as db:
        actions = db.execute(select(AuditEntry.action).where(AuditEntry.document_id.in_((hamburg, unknown)))).all()
    assert len(actions) == 2  # the refusals changed and recorded nothing


def test_the_same_refusal_over_http_names_the_field(world: World) -> None:
    hamburg = _item(world, "A-HTTP", "HAM")
    with transaction(world.rt.sessions) as db:
        works_for(db, world.users["bob"].id, "BER")
    client = world.client("mia")
    csrf = client.get("/api/v1/me").json()["csrf_token"]
    response = client.post(f"/api/v1/documents/{hamburg}/assign", headers={"X-CSRF-Token": csrf},
                           json={"assignee": "bob"})
    assert response.status_code == 422 and response.json()["fields"] == {"assignee": "not at this site"}
    assert _assignee(world, hamburg) is None
