"""The review UI on the real embedded wiring: SQLite migrated by Alembic, a folder object store, the
pipeline's hooks on an in-process broker (messages are queued, not run, so a test can see what an action
asked the pipeline to do)."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from models.base import utcnow
from models.db import transaction
from models.migrate import upgrade
from models.roles import Role
from models.users import User
from payables.pipeline import Pipeline
from payables.runtime import Runtime
from payables.settings import load_settings
from review_ui import AppContext, create_app
from review_ui.auth.sessions import SESSION_COOKIE, open_session
from tests.review_ui.factories import PASSWORD, SECRET, make_user


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated to head; each test starts from a copy of it."""
    path = tmp_path_factory.mktemp("template") / "payables.db"
    upgrade(f"sqlite:///{path}")
    return path


@dataclass
class World:
    rt: Runtime
    pipeline: Pipeline
    ctx: AppContext
    app: FastAPI
    users: dict[str, User] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)

    def db(self) -> Session:
        return self.rt.sessions()

    def queued(self, stage: str) -> list[int]:
        """Document ids the pipeline was asked to run ``stage`` on (and has not run: no worker)."""
        queue = self.pipeline.broker.queues.get(stage)  # type: ignore[attr-defined]
        if queue is None:
            return []
        from dramatiq import Message

        return [Message.decode(raw).args[0] for raw in list(queue.queue)]

    def code(self, username: str, steps_ahead: int = 0) -> str:
        """The user's authenticator code, ``steps_ahead`` time steps on (codes are good once)."""
        return pyotp.TOTP(self.secrets[username]).at(time.time() + 30 * steps_ahead)

    def client(self, username: str | None = None) -> TestClient:
        """A browser-like client, signed in as ``username`` (session made directly: the sign-in flow
        itself has its own tests)."""
        client = TestClient(self.app, follow_redirects=False)
        if username is not None:
            user = self.users[username]
            with transaction(self.rt.sessions) as db:
                token, _ = open_session(db, db.get(User, user.id), now=utcnow(),  # type: ignore[arg-type]
                                        lifetime=self.ctx.session_lifetime, mfa_verified=True, user_agent="test")
            client.cookies.set(SESSION_COOKIE, self.app.state.signer.sign_session(token))
        return client


STAFF = (("alice", Role.CLERK, "5000"), ("bob", Role.CLERK, "5000"), ("mia", Role.MANAGER, "50000"),
         ("max", Role.MANAGER, "20000"), ("ada", Role.ADMIN, "100000"), ("ari", Role.ADMIN, None),
         ("otto", Role.AUDITOR, None))


def build_world(tmp_path: Path, migrated_db: Path, *, settings: dict[str, Any] | None = None,
                staff: tuple[tuple[str, Role, str | None], ...] = STAFF, **ctx_overrides: Any) -> World:
    data = tmp_path / "var"
    data.mkdir()
    shutil.copy(migrated_db, data / "payables.db")
    rt = Runtime.from_settings(load_settings(data_dir=data, secret_key=SECRET, **(settings or {})), migrate=False)
    pipeline = Pipeline.build(rt)
    ctx = AppContext(sessions=rt.sessions, store=rt.store, secret=SECRET, submit=pipeline.submit,
                     enqueue=pipeline.enqueue, retry=lambda d, actor: pipeline.retry(d, actor=actor),
                     secure_cookies=False, odoo_url="http://odoo.test", **ctx_overrides)
    world = World(rt, pipeline, ctx, create_app(ctx))
    with transaction(rt.sessions) as db:
        for name, role, limit in staff:
            user, secret = make_user(db, name, role, limit)
            world.users[name] = user
            if secret:
                world.secrets[name] = secret
    return world


@pytest.fixture
def world(tmp_path: Path, migrated_db: Path) -> Iterator[World]:
    w = build_world(tmp_path, migrated_db)
    yield w
    w.rt.close()


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, code: str | None = None) -> Any:
    """The real sign-in flow; returns the last response."""
    page = client.get("/login")
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": csrf_of(page.text), "next": "/queue"})
    if code is not None and response.status_code == 303 and "/login/mfa" in response.headers["location"]:
        form = client.get(response.headers["location"])
        response = client.post("/login/mfa", data={"code": code, "csrf_token": csrf_of(form.text),
                                                   "next": "/queue"})
    return response
