"""The review UI's JSON API, fuzzed from its own OpenAPI description with schemathesis: every operation,
with generated paths, queries and bodies, signed in as a clerk and as a manager (session cookie and CSRF
header, as a browser script sends them). Whatever comes in, the answer is a 2xx/3xx/4xx with the
application's own error body, never a server error."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given

from models.db import transaction
from models.holds import HoldCode
from models.migrate import upgrade
from tests.fuzz.budget import budget
from tests.review_ui.conftest import World, build_world
from tests.review_ui.factories import HoldSpec, InvoiceSpec, make_invoice

schemathesis = pytest.importorskip("schemathesis")


@dataclass
class Api:
    world: World
    operations: dict[str, Any]
    auth: dict[str, tuple[dict[str, str], dict[str, str]]]  # role → (headers, cookies)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    root = tmp_path_factory.mktemp("api-fuzz")
    db = root / "template.db"
    upgrade(f"sqlite:///{db}")
    (root / "w").mkdir()
    world = build_world(root / "w", db)
    with transaction(world.rt.sessions) as s:
        for i in range(3):
            make_invoice(s, world.rt.store, InvoiceSpec(number=f"INV-FZ-{i}"),
                         holds=[HoldSpec(HoldCode.PRICE_VARIANCE, "billed 12.50, ordered at 12.00", line_ref="1",
                                         measured="12.50", limit="2%")])
    auth = {}
    for role, user in (("clerk", "alice"), ("manager", "mia")):
        client = world.client(user)
        me = client.get("/api/v1/me").json()
        auth[role] = ({"X-CSRF-Token": me["csrf_token"]}, dict(client.cookies))
    spec = world.client("alice").get("/api/v1/openapi.json").json()
    schema = schemathesis.openapi.from_dict(spec)
    operations = {f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in schema.get_all_operations())}
    yield Api(world, operations, auth)
    world.rt.close()




def _fuzz(api: Api, name: str, operation: Any, headers: dict[str, str], cookies: dict[str, str],
          seen: dict[str, int]) -> None:
    @budget(10)
    @given(operation.as_strategy())
    def call(case: Any) -> None:
        seen[name] = seen.get(name, 0) + 1
        response = case.call(app=api.world.app, headers=headers, cookies=cookies)
        assert response.status_code < 500, (name, case.formatted_path, case.body, response.status_code,
                                            response.text[:500])

    call()


@pytest.mark.parametrize("role", ["clerk", "manager"])
def test_no_generated_request_to_the_api_gets_a_server_error(api: Api, role: str) -> None:
    headers, cookies = api.auth[role]
    seen: dict[str, int] = {}
    for name, operation in sorted(api.operations.items()):
        _fuzz(api, name, operation, headers, cookies, seen)
    assert len(seen) == len(api.operations) >= 20, sorted(set(api.operations) - set(seen))
