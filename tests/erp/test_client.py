"""The client against the sandbox: the three protocols, authentication once, Odoo's faults as our
errors with Odoo's message, what is retried and what is not, and field names read from the server."""

from __future__ import annotations

import pytest

from erp.client import OdooClient, OdooConfig
from erp.errors import (
    ErpAccessError,
    ErpAuthenticationError,
    ErpConcurrencyError,
    ErpConfigurationError,
    ErpMissingError,
    ErpOutcomeUnknown,
    ErpServerError,
    ErpUnavailable,
    ErpUserError,
    ErpValidationError,
)
from erp.sandbox import SandboxServer
from tests.erp.conftest import make_client

PROTOCOLS = ["xmlrpc", "jsonrpc", "json2"]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_reads_and_writes_over_every_protocol(sandbox: SandboxServer, protocol: str) -> None:
    with make_client(sandbox, protocol) as odoo:
        partner = odoo.create("res.partner", {"name": "Probe GmbH", "vat": "DE136695976", "supplier_rank": 1})
        assert odoo.read("res.partner", [partner], ["name", "vat"]) == [
            {"id": partner, "name": "Probe GmbH", "vat": "DE136695976"}]
        assert odoo.write("res.partner", [partner], {"email": "ap@probe.example"})
        found = odoo.search_read("res.partner", [("email", "ilike", "PROBE.example")], ["name"])
        assert [r["id"] for r in found] == [partner]
        orders = odoo.web_search_read("purchase.order", [("state", "=", "purchase")],
                                      {"name": {}, "currency_id": {"fields": {"name": {}}},
                                       "order_line": {"fields": {"product_qty": {}}}}, limit=2, order="id")
        assert len(orders) == 2 and orders[0]["currency_id"] == {"id": 1, "name": "EUR"}
        assert all(isinstance(line["product_qty"], float) for line in orders[0]["order_line"])


def test_authenticates_once_and_reuses_the_uid(sandbox: SandboxServer) -> None:
    with make_client(sandbox) as odoo:
        for _ in range(3):
            odoo.search("res.partner", [], limit=1)
        assert odoo.stats.calls["authenticate"] == 1


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_wrong_key_is_an_authentication_error_naming_the_settings(sandbox: SandboxServer, protocol: str) -> None:
    odoo = OdooClient(OdooConfig(sandbox.url, "sandbox", "admin", "wrong", protocol=protocol))
    with pytest.raises(ErpAuthenticationError, match=r"PAYABLES_ODOO_USER|credentials"):
        odoo.search("res.partner", [])


def test_incomplete_settings_name_what_is_missing() -> None:
    class Settings:
        odoo_url, odoo_db, odoo_user, odoo_protocol, odoo_timeout_s = "http://odoo:8069", None, "ap", "xmlrpc", 5.0

        def secret(self, name: str) -> str | None:
            return None

    with pytest.raises(ErpConfigurationError, match=r"PAYABLES_ODOO_DB.*PAYABLES_ODOO_API_KEY"):
        OdooConfig.from_settings(Settings())


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_odoo_refusals_keep_odoo_message(client: OdooClient, sandbox: SandboxServer, protocol: str) -> None:
    with make_client(sandbox, protocol) as odoo:
        with pytest.raises(ErpUserError) as refused:
            odoo.create("purchase.order", {"partner_ref": "no vendor"})
        assert "a mandatory field is not set" in refused.value.odoo_message
        assert "Field: Vendor (partner_id)" in refused.value.message
        if protocol != "xmlrpc":  # /xmlrpc/2 folds every UserError into one fault code
            assert isinstance(refused.value, ErpValidationError)
        with pytest.raises(ErpMissingError, match="Record does not exist or has been deleted"):
            odoo.read("purchase.order", [987654], ["name"])
        with pytest.raises(ErpServerError, match="Invalid field 'no_such_field'"):
            odoo.search_read("res.partner", [], ["no_such_field"])


def test_records_of_another_company_are_an_access_error_until_the_context_allows_them(
        client: OdooClient) -> None:
    # The user's current company is 1: Odoo's multi-company rules hide company 2's orders.
    order_of_company_2 = 600  # make_snapshot: order 0 belongs to company 2
    assert client.search("purchase.order", [("id", "=", order_of_company_2)]) == []
    with pytest.raises(ErpAccessError, match="multi-company"):
        client.read("purchase.order", [order_of_company_2], ["name"])
    both = client.for_companies(client.user_company_ids())
    assert both.read("purchase.order", [order_of_company_2], ["company_id"])[0]["company_id"][0] == 2
    with pytest.raises(ErpAccessError, match="unauthorized or invalid companies"):
        client.for_companies([99]).search("purchase.order", [])


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_method_returning_none_is_done_and_reread(sandbox: SandboxServer, protocol: str) -> None:
    """``button_draft`` returns None: XML-RPC fails to marshal it after the commit, JSON-RPC leaves out
    ``result``. Either way the call happened; the client says None and the record shows it."""
    with make_client(sandbox, protocol) as odoo:
        bill = odoo.search("account.move", [("state", "=", "posted")], limit=1)[0]
        assert odoo.call("account.move", "button_draft", [bill]) is None
        assert odoo.read("account.move", [bill], ["state"])[0]["state"] == "draft"


def test_serialization_failures_are_retried(client: OdooClient, sandbox: SandboxServer) -> None:
    sandbox.add_fault("serialization", model="res.partner", method="write", times=2)
    partner = client.search("res.partner", [], limit=1)[0]
    assert client.write("res.partner", [partner], {"phone": "+49 30 1234"})
    assert client.stats.retries == 2
    assert client.read("res.partner", [partner], ["phone"])[0]["phone"] == "+49 30 1234"


def test_serialization_failures_that_persist_surface_as_concurrency_errors(sandbox: SandboxServer) -> None:
    sandbox.add_fault("serialization", model="res.partner", method="create", times=None)
    with make_client(sandbox, max_attempts=3) as odoo, pytest.raises(ErpConcurrencyError, match="concurrent update"):
        odoo.create("res.partner", {"name": "Never"})
    with make_client(sandbox) as odoo:
        assert odoo.search("res.partner", [("name", "=", "Never")]) == []


def test_odoo_down_is_retried_then_unavailable(sandbox: SandboxServer) -> None:
    sandbox.add_fault("down", times=2)
    with make_client(sandbox) as odoo:
        assert odoo.search_count("res.currency", []) >= 3
    sandbox.add_fault("down", times=None)
    with make_client(sandbox, max_attempts=2) as odoo, pytest.raises(ErpUnavailable, match="503"):
        odoo.search_count("res.currency", [])


def test_a_lost_answer_is_retried_for_reads_but_not_for_creates(client: OdooClient, sandbox: SandboxServer) -> None:
    sandbox.add_fault("drop", model="res.partner", method="search_read", times=1)
    assert client.search_read("res.partner", [("supplier_rank", ">", 0)], ["name"])
    sandbox.add_fault("drop", model="res.partner", method="create", times=1)
    with pytest.raises(ErpOutcomeUnknown, match="may or may not have been done"):
        client.create("res.partner", {"name": "Created, answer lost"})
    # It committed before the connection dropped: exactly one, for the caller to find.
    assert len(client.search("res.partner", [("name", "=", "Created, answer lost")])) == 1


def test_a_timeout_is_an_unknown_outcome(sandbox: SandboxServer) -> None:
    sandbox.add_fault("delay", model="res.partner", method="create", delay_s=1.0)
    with make_client(sandbox, timeout_s=0.3) as odoo, pytest.raises(ErpOutcomeUnknown):
        odoo.create("res.partner", {"name": "Slow"})


def test_unreachable_odoo_is_unavailable() -> None:
    odoo = OdooClient(OdooConfig("http://127.0.0.1:9", "db", "u", "k", max_attempts=2, backoff_s=0.01))
    with pytest.raises(ErpUnavailable, match="cannot reach Odoo"):
        odoo.search("res.partner", [])


def test_field_names_come_from_the_server(client: OdooClient) -> None:
    assert client.pick_field("purchase.order.line", "tax_ids", "taxes_id") == "taxes_id"
    assert client.pick_field("purchase.order.line", "product_uom_id", "product_uom") == "product_uom"
    assert client.pick_field("stock.move", "quantity", "quantity_done") == "quantity"
    assert client.fields("account.move")["invoice_line_ids"]["relation"] == "account.move.line"
    client.fields("account.move")
    assert client.stats.calls["account.move.fields_get"] == 1
