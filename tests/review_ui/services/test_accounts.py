"""Users and roles: four eyes on every role change; nobody approves a change of their own role."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from models.access import WebSession
from models.audit import AuditEntry
from models.db import transaction
from models.errors import NotAuthorised, StateConflict
from models.review import ReviewTask
from models.roles import Role
from models.users import User
from review_ui.auth import totp
from review_ui.services import accounts
from review_ui.services.errors import InvalidInput
from tests.review_ui.conftest import World
from tests.review_ui.factories import PRICE_HOLD, SECRET, InvoiceSpec, make_invoice, works_for
from tests.review_ui.services.test_decisions import actor


def test_a_role_change_needs_a_second_admin(world: World) -> None:
    bob = world.users["bob"].id
    change = accounts.request_role_change(world.ctx, actor(world, "ada"), bob, "manager", Decimal("20000"),
                                          "takes over the Berlin clinics")
    with pytest.raises(NotAuthorised, match="asked for a role change cannot also approve"):
        accounts.decide_role_change(world.ctx, actor(world, "ada"), change, approve=True)
    world.client("bob")  # bob has a session; the change ends it
    accounts.decide_role_change(world.ctx, actor(world, "ari"), change, approve=True)
    with world.db() as db:
        user = db.get(User, bob)
        sessions = db.execute(select(WebSession).where(WebSession.user_id == bob)).scalars().all()
    assert user is not None and (user.role, user.approval_limit) == ("manager", Decimal("20000"))
    assert user.role_changed_by == world.users["ari"].id
    assert all(s.revoked_at is not None for s in sessions)
    with pytest.raises(StateConflict):
        accounts.decide_role_change(world.ctx, actor(world, "ari"), change, approve=False)


def test_nobody_changes_or_approves_their_own_role(world: World) -> None:
    ada, ari = world.users["ada"].id, world.users["ari"].id
    with pytest.raises(NotAuthorised, match="their own role"):
        accounts.request_role_change(world.ctx, actor(world, "ada"), ada, "admin", Decimal("999999"), "more power")
    change = accounts.request_role_change(world.ctx, actor(world, "ada"), ari, "admin", Decimal("1000"),
                                          "needs a limit for emergencies")
    with pytest.raises(NotAuthorised, match="own role"):
        accounts.decide_role_change(world.ctx, actor(world, "ari"), change, approve=True)


def test_the_same_rule_holds_over_http(world: World) -> None:
    ari = world.users["ari"].id
    change = accounts.request_role_change(world.ctx, actor(world, "ada"), ari, "admin", Decimal("1000"),
                                          "needs a limit for emergencies")
    client = world.client("ari")
    csrf = client.get("/api/v1/me").json()["csrf_token"]
    response = client.post(f"/admin/role-changes/{change}/approve", data={"csrf_token": csrf})
    assert response.status_code == 403 and response.headers["x-denied-by"] == "guard"


def test_new_managers_get_an_encrypted_second_factor(world: World) -> None:
    with transaction(world.rt.sessions) as db:
        made = accounts.create_user(db, SECRET, username="Carla", role=Role.MANAGER, password="a long passphrase",
                                    approval_limit=Decimal("30000"))
        clerk = accounts.create_user(db, SECRET, username="dan", role=Role.CLERK, password="a long passphrase")
    assert made.username == "carla" and made.totp_secret and made.totp_uri and "issuer=payables" in made.totp_uri
    assert clerk.totp_secret is None
    with world.db() as db:
        stored = db.get(User, made.user_id)
    assert stored is not None and stored.totp_secret and made.totp_secret not in stored.totp_secret
    assert totp.decrypt_secret(SECRET, stored.totp_secret) == made.totp_secret
    with transaction(world.rt.sessions) as db, pytest.raises(InvalidInput, match="already a user"):
        accounts.create_user(db, SECRET, username="carla", role=Role.CLERK, password="a long passphrase")


def test_the_access_review_report_lists_roles_limits_and_mfa(world: World) -> None:
    with transaction(world.rt.sessions) as db:
        user = db.get(User, world.users["max"].id)
        assert user is not None
        user.totp_secret, user.mfa_enabled = None, False
    world.client("alice")
    with world.db() as db:
        rows = {r.username: r for r in accounts.users_report(db, world.ctx.clock())}
    assert rows["mia"].mfa == "enrolled" and rows["max"].mfa == "owed" and rows["alice"].mfa == "not required"
    assert rows["alice"].open_sessions == 1 and rows["mia"].approval_limit == Decimal("50000")


def test_narrowing_a_users_sites_gives_back_what_they_can_no_longer_open(world: World) -> None:
    alice = world.users["alice"].id
    with transaction(world.rt.sessions) as db:
        kept = make_invoice(db, world.rt.store, InvoiceSpec(number="S-H"), holds=[PRICE_HOLD], assignee=alice,
                            site="HAM").document.id
        lost = make_invoice(db, world.rt.store, InvoiceSpec(number="S-B"), holds=[PRICE_HOLD], assignee=alice,
                            site="BER").document.id
    change = accounts.change_sites(world.ctx, actor(world, "ada"), alice, " ham ,HAM")
    # "ham" takes the spelling the documents use.
    assert (change.before, change.after, change.unknown, change.released) == ([], ["HAM"], [], [lost])
    with world.db() as db:
        assignees = dict(db.execute(select(ReviewTask.document_id, ReviewTask.assignee_id)).tuples().all())
        user = db.get(User, alice)
        entries = db.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars().all()
    assert assignees == {kept: alice, lost: None} and user is not None and user.sites == ["HAM"]
    assert [(e.action, e.document_id) for e in entries] == [("unassign", lost), ("user_sites_changed", None)]
    assert entries[-1].changes == {"user": "alice", "sites": {"from": "all", "to": ["HAM"]}, "released": [lost]}
    assert entries[-1].actor == "user:ada"
    # Back to the whole group; an unknown code is kept but reported (a clinic whose first invoice is to come).
    assert accounts.change_sites(world.ctx, actor(world, "ada"), alice, "all").after == []
    assert accounts.change_sites(world.ctx, actor(world, "ada"), alice, "HAM,KIE").unknown == ["KIE"]
    with pytest.raises(InvalidInput, match="already works for sites HAM, KIE"):
        accounts.change_sites(world.ctx, actor(world, "ada"), alice, "KIE,HAM")
    with pytest.raises(InvalidInput, match="name the sites"):
        accounts.change_sites(world.ctx, actor(world, "ada"), alice, "  ")


def test_nobody_widens_their_own_sites_or_grants_sites_they_do_not_have(world: World) -> None:
    ada, bob = world.users["ada"].id, world.users["bob"].id
    with transaction(world.rt.sessions) as db:
        works_for(db, ada, "HAM")
    with pytest.raises(NotAuthorised, match="own sites"):
        accounts.change_sites(world.ctx, actor(world, "ada"), ada, "all")
    for wider in ("all", "HAM,BER", "BER"):
        with pytest.raises(NotAuthorised, match="you work for sites HAM; you cannot give anyone"):
            accounts.change_sites(world.ctx, actor(world, "ada"), bob, wider)
    assert accounts.change_sites(world.ctx, actor(world, "ada"), bob, "HAM").after == ["HAM"]
    assert accounts.change_sites(world.ctx, actor(world, "ari"), ada, "all").after == []
    with world.db() as db:
        report = {r.username: r for r in accounts.users_report(db, world.ctx.clock())}
    assert (report["bob"].sites, report["bob"].sites_label) == (("HAM",), "HAM")
    assert (report["ada"].sites, report["ada"].sites_label) == (None, "all")


def test_the_admin_screen_sets_sites_for_others_only(world: World) -> None:
    bob, ada = world.users["bob"].id, world.users["ada"].id
    client = world.client("ada")
    csrf = client.get("/api/v1/me").json()["csrf_token"]
    page = client.get("/admin/users")
    assert page.status_code == 200 and f'action="/admin/users/{bob}/sites"' in page.text
    assert f'action="/admin/users/{ada}/sites"' not in page.text
    done = client.post(f"/admin/users/{bob}/sites", data={"csrf_token": csrf, "sites": "HAM, BER"})
    assert done.status_code == 303 and done.headers["location"] == "/admin/users?done=sites_unknown"
    bobs = world.client("bob")
    assert bobs.get("/api/v1/me").json()["sites"] == ["BER", "HAM"]
    assert client.get("/api/v1/me").json()["sites"] is None
    own = client.post(f"/admin/users/{ada}/sites", data={"csrf_token": csrf, "sites": "all"})
    assert own.status_code == 403 and own.headers["x-denied-by"] == "guard"
    bad = client.post(f"/admin/users/{bob}/sites", data={"csrf_token": csrf, "sites": ""})
    assert bad.status_code == 422

