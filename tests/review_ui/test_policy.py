"""The authorisation table: every route × role (anonymous, clerk, manager, admin, auditor) × own or
someone else's object × a document at the user's site, another site or no known site yet, each
expectation generated from ``review_ui.policy.POLICY`` and the site rule (``review_ui.sites``); a route
without a policy cannot even be built into the app.

Every signed-in user of the table works for Hamburg only (``sites=["HAM"]``). A document of Berlin, or
one whose site is not known, must be *not found* on every item route (the same answer as an id that
does not exist), and must leave no trace in any page or list the user may read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends
from sqlalchemy import update

from models.access import RoleChange
from models.audit import append_audit
from models.base import utcnow
from models.db import transaction
from models.review import ReviewTask
from models.roles import Role
from models.states import DocumentState
from models.users import SavedView, User
from review_ui import create_app
from review_ui.app import RouteInfo, api_routes, check_routes
from review_ui.deps import authorised
from review_ui.policy import POLICY, Access, Subject
from tests.review_ui.conftest import World, build_world
from tests.review_ui.factories import PRICE_HOLD, InvoiceSpec, make_invoice

ROLES = {None: None, Role.CLERK: "alice", Role.MANAGER: "mia", Role.ADMIN: "ada", Role.AUDITOR: "otto"}
OTHER = "bob"
SAFE = {"GET", "HEAD"}
HOME_SITE = "HAM"
# Whose document a case acts on: the actor's, a colleague's (both at the actor's site), or one of a site
# the actor does not work for, or of no known site yet (nobody's: only the site stands in the way).
OWN, OTHERS_DOC, OTHER_SITE, UNKNOWN_SITE = "own", "other", "other-site", "unknown-site"
FOREIGN = {OTHER_SITE: "BER", UNKNOWN_SITE: None}
# Text that only the foreign documents carry (invoice numbers, file names, vendor, audit reasons).
TRACE = re.compile(r"FX-(?:BER|NUL)|Fremdhaus")
GHOST_ID = 987_654_321


@dataclass
class Objects:
    documents: dict[str, int]  # assignee, or OTHER_SITE / UNKNOWN_SITE -> document id
    holds: dict[int, int]  # document -> one of its holds
    views: dict[str, int]
    changes: dict[str, int]
    failed: dict[str, int]  # OTHER_SITE / UNKNOWN_SITE -> a failed document there


@pytest.fixture(scope="module")
def table_world(tmp_path_factory: pytest.TempPathFactory, migrated_db: Path) -> Any:
    world = build_world(tmp_path_factory.mktemp("table"), migrated_db)
    objects = Objects({}, {}, {}, {}, {})
    with transaction(world.rt.sessions) as db:
        for i, name in enumerate((*[u for u in ROLES.values() if u], OTHER)):
            made = make_invoice(db, world.rt.store, InvoiceSpec(number=f"T-{i}"), holds=[PRICE_HOLD],
                                assignee=world.users[name].id, site=HOME_SITE)
            objects.documents[name] = made.document.id
            objects.holds[made.document.id] = made.holds[0].id
            user = db.get(User, world.users[name].id)
            assert user is not None
            user.sites = [HOME_SITE]
        for whose, site in FOREIGN.items():
            tag = site or "NUL"
            made = make_invoice(db, world.rt.store, InvoiceSpec(number=f"FX-{tag}-0001", vendor=f"Fremdhaus {tag} AG"),
                                holds=[PRICE_HOLD], site=site, received_at=utcnow() - timedelta(days=9),
                                queue="approvals" if site is None else "exceptions")
            objects.documents[whose] = made.document.id
            objects.holds[made.document.id] = made.holds[0].id
            append_audit(db, actor="user:ari", action="correction", document_id=made.document.id,
                         reason=f"FX-{tag}-AUDIT", changes={"fields": {"total_amount": {"from": "1", "to": "2"}}})
            failed = make_invoice(db, world.rt.store, InvoiceSpec(number=f"FX-{tag}-FAIL"), site=site,
                                  state=DocumentState.FAILED)
            failed.document.failure_reason = "tesseract gave up"
            objects.failed[whose] = failed.document.id
    _reset(world, objects)
    yield world, objects
    world.rt.close()


def _reset(world: World, objects: Objects) -> None:
    """Put ownership back as the table assumes: actions let through by an earlier case may have moved it."""
    with transaction(world.rt.sessions) as db:
        for name, doc_id in objects.documents.items():
            assignee = world.users[name].id if name not in FOREIGN else None
            db.execute(update(ReviewTask).where(ReviewTask.document_id == doc_id)
                       .values(status="open", assignee_id=assignee))
        for name in (*[u for u in ROLES.values() if u], OTHER):
            user_id = world.users[name].id
            view = db.get(SavedView, objects.views.get(name, 0))
            if view is None:
                view = SavedView(user_id=user_id, name=f"{name}'s view", query="sort=newest")
                db.add(view)
                db.flush()
                objects.views[name] = view.id
            change = db.get(RoleChange, objects.changes.get(name, 0))
            if change is None:
                requester = world.users["ari"].id
                change = RoleChange(user_id=user_id, from_role="clerk", to_role="clerk", reason="table test",
                                    requested_by=requester, requested_at=utcnow())
                db.add(change)
                db.flush()
                objects.changes[name] = change.id
            change.status = "pending"


def _params(route: RouteInfo, objects: Objects, owner: str, document: str | None = None) -> dict[str, Any]:
    doc = objects.documents[document or owner]
    return {"document_id": doc, "hold_id": objects.holds[doc], "number": 1, "view_id": objects.views[owner],
            "user_id": _user_id(owner), "change_id": objects.changes[owner]}


_USER_IDS: dict[str, int] = {}


def _user_id(name: str) -> int:
    return _USER_IDS[name]


Case = tuple[str, str, Role | None, str]


def _cases() -> list[Case]:
    cases = []
    for route in api_routes(create_app_for_listing()):
        rule = POLICY[route.name]
        for method in sorted(route.methods):
            for role in ROLES:
                whose = [OWN]
                if rule.subject is not Subject.NONE and role is not None:
                    whose.append(OTHERS_DOC)
                    # A role the row refuses is refused before any object is looked at (the same 403
                    # whatever the id): the site cases are for those who pass the row.
                    if rule.subject is Subject.DOCUMENT and rule.for_role(role) is not Access.NONE:
                        whose += [OTHER_SITE, UNKNOWN_SITE]
                for w in whose:
                    cases.append((route.name, method, role, w))
    return cases


def create_app_for_listing() -> Any:
    from review_ui.context import AppContext

    return create_app(AppContext(sessions=None, store=None, secret="x" * 32, submit=None, enqueue=None,  # type: ignore[arg-type]
                                 retry=None))  # type: ignore[arg-type]


def _expected(name: str, role: Role | None, whose: str) -> str:
    rule = POLICY[name]
    if rule.public:
        return "allow"
    if role is None:
        return "sign-in"
    access = rule.for_role(role)
    if access is Access.NONE:
        return "deny"
    if whose in FOREIGN:
        return "hidden"
    if access is Access.OWN and whose != OWN:
        return "deny"
    if access is Access.OTHERS and whose == OWN:
        return "deny"
    return "allow"


def _label(case: Case) -> str:
    name, method, role, whose = case
    return f"{method} {name} as {role.value if role else 'anonymous'} on {whose}"


# Cases that the guard refuses change nothing, so the world is only reset after one it let through;
# the actor's session is made again after such a case too (signing out is one of them).
_STATE: dict[str, Any] = {"dirty": True, "clients": {}}


def _client(world: World, actor: str | None) -> tuple[Any, str]:
    clients = _STATE["clients"]
    if actor not in clients:
        client = world.client(actor)
        clients[actor] = (client, _csrf(world, client) if actor else "")
    found: tuple[Any, str] = clients[actor]
    return found


@pytest.mark.parametrize("case", _cases(), ids=_label)
def test_route_answers_as_the_policy_says(table_world: Any, case: Case) -> None:
    world, objects = table_world
    name, method, role, whose = case
    for user in world.users.values():
        _USER_IDS[user.username] = user.id
    if _STATE["dirty"]:
        _reset(world, objects)
        _STATE["dirty"] = False
    route = next(r for r in api_routes(world.app) if r.name == name)
    actor = ROLES[role]
    owner = actor if (whose == OWN and actor) else OTHER
    params = _params(route, objects, owner, whose if whose in FOREIGN else None)
    path = route.path.format(**params)
    client, csrf = _client(world, actor)
    headers: dict[str, str] = {}
    kwargs: dict[str, Any] = {}
    if method not in SAFE:
        if path.startswith("/api/"):
            headers["X-CSRF-Token"] = csrf
            kwargs["json"] = {}
        else:
            kwargs["data"] = {"csrf_token": csrf}
    response = client.request(method, path, headers=headers, **kwargs)
    expected = _expected(name, role, whose)
    if expected == "allow" and method not in SAFE:
        _STATE["dirty"] = True
        _STATE["clients"].pop(actor, None)
    denied_by_guard = response.headers.get("x-denied-by") == "guard"
    if expected == "sign-in":
        if path.startswith("/api/"):
            assert response.status_code == 401, response.text
        else:
            assert response.status_code == 303 and response.headers["location"].startswith("/login")
    elif expected == "deny":
        assert response.status_code == 403 and denied_by_guard, (response.status_code, response.text[:300])
    elif expected == "hidden":
        assert response.status_code == 404 and denied_by_guard, (response.status_code, response.text[:300])
        # Word for word what an id that never existed gets: nothing tells "another clinic's" from "none".
        ghost_path = route.path.format(**{**params, "document_id": GHOST_ID})
        ghost = client.request(method, ghost_path, headers=headers, **kwargs)
        assert (ghost.status_code, ghost.headers.get("x-denied-by"), ghost.text) == \
            (404, "guard", response.text)
    else:
        assert response.status_code not in (401, 403) or not denied_by_guard, (response.status_code,
                                                                               response.text[:300])
        if method in SAFE and name not in ("document.original",):
            assert response.status_code in (200, 303), (response.status_code, response.text[:300])
    if expected == "allow" and role is not None and method in SAFE:
        _assert_no_trace(objects, response)


def _assert_no_trace(objects: Objects, response: Any) -> None:
    """Nothing of the foreign documents in what a Hamburg user may read: no row, count label, vendor,
    file name, audit reason, link or redirect."""
    content_type = response.headers.get("content-type", "")
    body = response.text if content_type.startswith(("text/", "application/json")) else ""
    where = body + " " + response.headers.get("location", "")
    found = TRACE.search(where)
    assert found is None, where[max(0, found.start() - 200):found.end() + 100]
    for doc_id in (*[objects.documents[w] for w in FOREIGN], *objects.failed.values()):
        assert not re.search(rf"/documents/{doc_id}(?!\d)|\"document_id\": ?{doc_id}\b", where), doc_id


def _csrf(world: World, client: Any) -> str:
    me = client.get("/api/v1/me")
    assert me.status_code == 200, me.text
    token: str = me.json()["csrf_token"]
    return token


# The list routes' answers for a group-wide user: each must show the foreign documents, or the table's
# "no trace" check above could pass by looking for text that is never there.
LISTS = {
    "/queue": ("FX-BER-0001", "FX-NUL-0001"),
    "/approvals": ("FX-NUL-0001",),
    "/api/v1/queue": ("FX-BER-0001", "FX-NUL-0001"),
    "/queue/failures": ("FX-BER-FAIL", "FX-NUL-FAIL"),
    "/api/v1/failures": ("FX-BER-FAIL", "FX-NUL-FAIL"),
    "/dashboard": ("Fremdhaus BER AG", "Fremdhaus NUL AG"),
    "/api/v1/dashboard": ('"site":"BER"',),
    "/audit": ("FX-BER-AUDIT", "FX-NUL-AUDIT"),
    "/api/v1/audit": ("FX-BER-AUDIT", "FX-NUL-AUDIT"),
    "/audit/export.csv": ("FX-BER-AUDIT", "FX-NUL-AUDIT"),
}


def test_a_group_wide_user_sees_what_the_table_hides(table_world: Any) -> None:
    world, objects = table_world
    client = world.client("ari")  # an admin with sites=[]: the whole group
    for path, traces in LISTS.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        for trace in traces:
            assert trace in response.text, (path, trace)
    for whose in FOREIGN:
        doc = objects.documents[whose]
        assert client.get(f"/documents/{doc}").status_code == 200
        assert client.get(f"/api/v1/documents/{doc}/history").status_code == 200
    next_doc = client.get("/queue/next")
    assert next_doc.headers["location"] == f"/documents/{objects.documents[OTHER_SITE]}"


def test_every_route_of_the_app_has_a_policy_and_the_guard() -> None:
    app = create_app_for_listing()
    names = {r.name for r in api_routes(app)}
    assert names <= set(POLICY), names - set(POLICY)
    assert set(POLICY) <= names, f"policy rows without a route: {set(POLICY) - names}"


def test_a_route_without_a_policy_fails_to_build() -> None:
    app = create_app_for_listing()
    stray = APIRouter()

    @stray.get("/stray", name="stray.page")
    def stray_page(actor: Annotated[Any, Depends(authorised)]) -> dict[str, str]:
        return {}

    app.include_router(stray)
    with pytest.raises(LookupError, match=r"stray\.page"):
        check_routes(app)


def test_a_route_without_the_guard_fails_to_build() -> None:
    app = create_app_for_listing()
    stray = APIRouter()

    @stray.get("/unguarded", name="queue.page")
    def unguarded() -> dict[str, str]:
        return {}

    app.include_router(stray)
    with pytest.raises(LookupError, match="does not depend on authorised"):
        check_routes(app)


def test_missing_csrf_refuses_every_state_changing_route(table_world: Any) -> None:
    world, objects = table_world
    client = world.client("mia")
    refused = []
    for route in api_routes(world.app):
        if not (route.methods - SAFE) or POLICY[route.name].public:
            continue
        path = route.path.format(**_params(route, objects, "mia"))
        for method in route.methods - SAFE:
            response = client.request(method, path, data={} if not path.startswith("/api/") else None)
            assert response.status_code == 403, (method, path, response.status_code)
            assert re.search("security token|another site", response.text), response.text[:200]
            refused.append(path)
    assert len(refused) > 40


def test_a_foreign_origin_is_refused_even_with_the_token(table_world: Any) -> None:
    world, objects = table_world
    _reset(world, objects)
    client = world.client("alice")
    csrf = _csrf(world, client)
    doc = objects.documents["alice"]
    response = client.post(f"/documents/{doc}/claim", data={"csrf_token": csrf},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert client.post(f"/documents/{doc}/claim", data={"csrf_token": csrf},
                       headers={"Origin": "http://testserver"}).status_code == 303


def test_guessing_ids_finds_nothing(table_world: Any) -> None:
    world, objects = table_world
    client = world.client("alice")
    assert client.get("/documents/999999").status_code == 404
    assert client.get("/api/v1/documents/999999").status_code == 404
    assert client.get("/documents/abc").status_code in (404, 422)
    other_doc = objects.documents["bob"]
    hold_of_other = objects.holds[other_doc]
    mine = objects.documents["alice"]
    csrf = _csrf(world, client)
    # A hold of another document, named under one's own: not found, not released.
    response = client.post(f"/api/v1/documents/{mine}/holds/{hold_of_other}/release",
                           headers={"X-CSRF-Token": csrf}, json={"reason": "looks fine to me"})
    assert response.status_code == 404
