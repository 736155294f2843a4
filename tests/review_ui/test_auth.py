"""Signing in: argon2 passwords, the second factor for managers and admins, one-time codes, session
fixation, signing out, throttling and lock-out, and TOTP secrets encrypted at rest."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select

from models.access import WebSession
from models.audit import AuditEntry
from models.db import transaction
from models.users import User
from review_ui.auth import totp
from review_ui.auth.passwords import verify_password
from review_ui.auth.sessions import SESSION_COOKIE
from tests.review_ui.conftest import World, csrf_of, sign_in
from tests.review_ui.factories import PASSWORD, SECRET


def test_a_clerk_signs_in_with_a_password_and_gets_a_hardened_cookie(world: World) -> None:
    client = world.client()
    response = sign_in(client, "alice")
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    cookie = response.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/queue").status_code == 200
    with world.db() as db:
        stored = db.get(User, world.users["alice"].id)
        assert stored is not None and stored.password_hash.startswith("$argon2id$")
        assert stored.last_login_at is not None


def test_the_session_cookie_is_marked_secure_outside_loopback_development(tmp_path: Any, migrated_db: Any) -> None:
    from fastapi.testclient import TestClient

    from review_ui import create_app
    from tests.review_ui.conftest import build_world

    secure = build_world(tmp_path, migrated_db)
    app = create_app(replace(secure.ctx, secure_cookies=True))
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    response = sign_in(client, "alice")
    assert "Secure" in response.headers["set-cookie"]
    assert "max-age=31536000" in client.get("/queue").headers["strict-transport-security"]
    secure.rt.close()


def test_a_wrong_password_says_nothing_about_which_part_was_wrong(world: World) -> None:
    client = world.client()
    unknown = sign_in(client, "nobody-here", "whatever it is 123")
    wrong = sign_in(client, "alice", "not the password at all")
    assert unknown.status_code == wrong.status_code == 401
    assert "The user name or password is wrong." in unknown.text
    assert "The user name or password is wrong." in wrong.text
    assert client.get("/queue").status_code == 303


def test_a_manager_needs_the_second_factor_and_a_code_works_only_once(world: World) -> None:
    client = world.client()
    first = sign_in(client, "mia")
    assert first.headers["location"].startswith("/login/mfa")
    # Half signed in: nothing is reachable yet.
    assert client.get("/queue").status_code == 303
    assert client.get("/api/v1/me").status_code == 401
    code = world.code("mia")
    form = client.get("/login/mfa")
    done = client.post("/login/mfa", data={"code": code, "csrf_token": csrf_of(form.text), "next": "/approvals"})
    assert done.status_code == 303 and done.headers["location"] == "/approvals"
    assert client.get("/api/v1/me").json()["role"] == "manager"
    # The same code again, in another browser: refused (one-time).
    other = world.client()
    sign_in(other, "mia")
    form = other.get("/login/mfa")
    again = other.post("/login/mfa", data={"code": code, "csrf_token": csrf_of(form.text)})
    assert again.status_code == 401 and "already used" in again.text


def test_totp_secrets_are_stored_encrypted_with_the_application_secret(world: World) -> None:
    with world.db() as db:
        stored = db.get(User, world.users["mia"].id)
        assert stored is not None and stored.totp_secret is not None
    assert world.secrets["mia"] not in stored.totp_secret
    assert stored.totp_secret.startswith("v1:")
    assert totp.decrypt_secret(SECRET, stored.totp_secret) == world.secrets["mia"]


def test_a_manager_without_a_second_factor_enrols_on_first_sign_in(world: World) -> None:
    with transaction(world.rt.sessions) as db:
        user = db.get(User, world.users["max"].id)
        assert user is not None
        user.totp_secret, user.mfa_enabled = None, False
    client = world.client()
    response = sign_in(client, "max")
    assert response.headers["location"].startswith("/login/enrol")
    page = client.get("/login/enrol")
    secret = page.text.split('<code class="secret">')[1].split("<")[0]
    import pyotp

    done = client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(page.text)})
    assert done.status_code == 303
    assert client.get("/api/v1/me").status_code == 200
    with world.db() as db:
        user = db.get(User, world.users["max"].id)
        assert user is not None and user.mfa_enabled and user.totp_secret and secret not in user.totp_secret


def test_a_planted_session_cookie_never_becomes_signed_in(world: World) -> None:
    """Session fixation: whatever cookie the browser had before signing in, the signed-in one is new,
    and the old one (had it been a real session) is ended."""
    victim = world.client()
    page = victim.get("/login")
    # A real session of the attacker's, planted in the victim's browser before the victim signs in.
    planted = world.client("bob").cookies.get(SESSION_COOKIE)
    assert planted
    victim.cookies.set(SESSION_COOKIE, planted)
    response = victim.post("/login", data={"username": "alice", "password": PASSWORD,
                                           "csrf_token": csrf_of(page.text)})
    assert response.status_code == 303
    issued = response.cookies.get(SESSION_COOKIE)
    assert issued and issued != planted
    attacker = world.client()
    attacker.cookies.set(SESSION_COOKIE, planted)
    assert attacker.get("/api/v1/me").status_code == 401
    assert victim.get("/api/v1/me").json()["username"] == "alice"


def test_a_forged_or_tampered_cookie_is_ignored(world: World) -> None:
    client = world.client()
    client.cookies.set(SESSION_COOKIE, "not-a-signed-value")
    assert client.get("/api/v1/me").status_code == 401
    real = world.client("alice").cookies.get(SESSION_COOKIE)
    assert real
    client.cookies.set(SESSION_COOKIE, real[:-2] + ("AA" if not real.endswith("AA") else "BB"))
    assert client.get("/api/v1/me").status_code == 401


def test_signing_out_ends_the_session_on_the_server(world: World) -> None:
    client = world.client()
    sign_in(client, "alice")
    cookie = client.cookies.get(SESSION_COOKIE)
    page = client.get("/queue")
    out = client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    replay = world.client()
    replay.cookies.set(SESSION_COOKIE, cookie)
    assert replay.get("/api/v1/me").status_code == 401
    with world.db() as db:
        sessions = db.execute(select(WebSession).where(WebSession.user_id == world.users["alice"].id)).scalars()
        assert all(s.revoked_at is not None for s in sessions)


def test_sign_in_attempts_are_throttled_per_user_name(world: World) -> None:
    client = world.client()
    statuses = [sign_in(client, "bob", f"wrong password {i}").status_code for i in range(6)]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    blocked = sign_in(client, "bob")  # even the right password waits
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


def test_an_account_locks_after_repeated_failures_from_many_addresses(world: World) -> None:
    from datetime import timedelta

    from review_ui.auth.signin import LOCK_AFTER, check_password

    with transaction(world.rt.sessions) as db:
        now = world.ctx.clock()
        for _ in range(LOCK_AFTER):
            assert check_password(db, "bob", "guess", now=now).user is None
        outcome = check_password(db, "bob", PASSWORD, now=now)
        assert outcome.user is None and "locked" in outcome.message
        later = check_password(db, "bob", PASSWORD, now=now + timedelta(minutes=16))
        assert later.user is not None
        failures = db.execute(select(AuditEntry).where(AuditEntry.action == "login_failed")).scalars().all()
        assert len(failures) == LOCK_AFTER


def test_the_sign_in_form_needs_its_csrf_token(world: World) -> None:
    client = world.client()
    client.get("/login")
    response = client.post("/login", data={"username": "alice", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 403


def test_redirects_after_sign_in_stay_on_this_site(world: World) -> None:
    client = world.client()
    page = client.get("/login?next=//evil.example/x")
    response = client.post("/login", data={"username": "alice", "password": PASSWORD,
                                           "csrf_token": csrf_of(page.text), "next": "https://evil.example"})
    assert response.headers["location"] == "/queue"
    from review_ui.routes.common import safe_next

    for evil in ("//evil.example", "/\t/evil.example", "/\\evil.example", "https://evil.example", "/\n/x"):
        assert safe_next(evil) == "/queue", evil
    assert safe_next("/documents/7?done=approved") == "/documents/7?done=approved"


def test_changing_the_password_ends_other_sessions(world: World) -> None:
    laptop = world.client("alice")
    phone = world.client("alice")
    page = laptop.get("/account")
    new = "a much better passphrase"
    response = laptop.post("/account/password", data={"csrf_token": csrf_of(page.text), "current": PASSWORD,
                                                      "new": new, "repeat": new})
    assert response.status_code == 303
    assert laptop.get("/api/v1/me").status_code == 200
    assert phone.get("/api/v1/me").status_code == 401
    with world.db() as db:
        user = db.get(User, world.users["alice"].id)
        assert user is not None and verify_password(user.password_hash, new)


def test_a_short_password_is_refused(world: World) -> None:
    client = world.client("alice")
    page = client.get("/account")
    response = client.post("/account/password", data={"csrf_token": csrf_of(page.text), "current": PASSWORD,
                                                      "new": "short", "repeat": "short"})
    assert response.status_code == 422 and "12 characters" in response.text
