"""Odoo's domain semantics, as the sandbox evaluates them."""

from __future__ import annotations

from typing import Any

import pytest

from erp.sandbox.domain import matches, parse
from erp.sandbox.exceptions import ValueErrorFault

TYPES = {"name": "char", "qty": "float", "state": "selection", "partner_id": "many2one", "tag_ids": "many2many",
         "write_date": "datetime", "active": "boolean"}
RECORD: dict[str, Any] = {"name": "Nitrile Gloves", "qty": 12.5, "state": "purchase", "partner_id": 7,
                          "tag_ids": [1, 3], "write_date": "2025-03-01 10:00:00.250000", "active": True}


def resolve(rec: dict[str, Any], path: str) -> tuple[list[Any], str]:
    value = rec.get(path)
    return (list(value) if isinstance(value, list) else [value]), TYPES.get(path, "char")


def check(domain: list[Any]) -> bool:
    return matches(parse(domain), RECORD, resolve)


@pytest.mark.parametrize(("domain", "expected"), [
    ([], True),
    ([("state", "=", "purchase")], True),
    ([("state", "!=", "purchase")], False),
    ([("state", "in", ["purchase", "done"])], True),
    ([("state", "not in", ["purchase", "done"])], False),
    ([("name", "like", "Gloves")], True),
    ([("name", "like", "gloves")], False),
    ([("name", "ilike", "gloves")], True),
    ([("name", "not ilike", "gloves")], False),
    ([("name", "=ilike", "nitrile%")], True),
    ([("qty", ">", 12)], True), ([("qty", ">=", 12.5)], True), ([("qty", "<", 12.5)], False),
    ([("qty", "<=", "12.5")], True),
    ([("partner_id", "=", 7)], True), ([("partner_id", "in", [1, 2])], False),
    ([("partner_id", "!=", False)], True), ([("partner_id", "=", False)], False),
    ([("tag_ids", "in", [3])], True), ([("tag_ids", "not in", [3])], False),
    # Odoo sends datetimes to the second; the stored value has microseconds.
    ([("write_date", ">=", "2025-03-01 10:00:00")], True),
    ([("write_date", ">", "2025-03-01 10:00:01")], False),
    (["|", ("state", "=", "draft"), ("qty", ">", 10)], True),
    (["&", ("state", "=", "draft"), ("qty", ">", 10)], False),
    (["!", ("state", "=", "draft")], True),
    ([("state", "=", "purchase"), "|", ("qty", "<", 1), ("name", "ilike", "glove")], True),
    (["|", "&", ("state", "=", "x"), ("qty", ">", 1), "!", ("active", "=", False)], True),
])
def test_operators_and_prefix_notation(domain: list[Any], expected: bool) -> None:
    assert check(domain) is expected


def test_an_unknown_operator_is_refused() -> None:
    with pytest.raises(ValueErrorFault, match="unknown operator"):
        parse([("name", "~", "x")])
