"""The contract suite's Odoo: a real one when ``ODOO_URL``, ``ODOO_DB``, ``ODOO_USER`` and ``ODOO_API_KEY``
are set (``ODOO_PROTOCOL`` optional: xmlrpc, jsonrpc or json2), the sandbox otherwise."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from erp.client import OdooClient, OdooConfig
from erp.sandbox import SandboxServer, new_world
from tests.erp.conftest import API_KEY


@pytest.fixture(scope="module")
def odoo() -> Iterator[OdooClient]:
    config = OdooConfig.from_environment(os.environ, timeout_s=120)
    if config is not None:
        with OdooClient(config) as client:
            yield client
        return
    with SandboxServer(new_world(api_key=API_KEY)) as server, OdooClient(OdooConfig(
            server.url, "sandbox", "admin", API_KEY, protocol=os.environ.get("ODOO_PROTOCOL", "xmlrpc"))) as client:
        yield client
