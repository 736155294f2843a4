"""Odoo domains: parse the prefix notation and test a record against it.

A domain is a list of leaves ``(path, operator, value)`` and the prefix operators ``&``, ``|``, ``!``;
leaves side by side are joined with ``&``. A dotted path (``order_id.state``) follows relations and
matches when any reached value matches, as Odoo's SQL joins do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from erp.sandbox.exceptions import ValueErrorFault

OPERATORS = frozenset({"=", "!=", "<>", "<", ">", "<=", ">=", "in", "not in", "like", "not like", "ilike",
                       "not ilike", "=like", "=ilike", "child_of", "parent_of"})
NEGATIVE = frozenset({"!=", "<>", "not in", "not like", "not ilike"})
TRUE_LEAF = (1, "=", 1)
FALSE_LEAF = (0, "=", 1)


@dataclass(frozen=True)
class Leaf:
    path: str
    operator: str
    value: Any


@dataclass(frozen=True)
class Node:
    op: str  # "&", "|", "!"
    children: tuple[Any, ...]


Tree = Leaf | Node | bool
# (record, dotted path) → the values reached and the type of the last field ("many2one", "date"…).
Resolver = Callable[[dict[str, Any], str], tuple[list[Any], str]]


def parse(domain: Sequence[Any]) -> Tree:
    items = list(domain or [])
    if not items:
        return True
    pos = 0

    def term() -> Tree:
        nonlocal pos
        if pos >= len(items):
            raise ValueErrorFault(f"Invalid domain: {domain!r}")
        item = items[pos]
        pos += 1
        if item in ("&", "|"):
            left = term()
            right = term()
            return Node(item, (left, right))
        if item == "!":
            return Node("!", (term(),))
        return _leaf(item)

    trees = []
    while pos < len(items):
        trees.append(term())
    if len(trees) == 1:
        return trees[0]
    return Node("&", tuple(trees))


def _leaf(item: Any) -> Tree:
    if not isinstance(item, list | tuple) or len(item) != 3:
        raise ValueErrorFault(f"Invalid leaf {item!r}")
    path, op, value = item
    if tuple(item) == TRUE_LEAF or (path is True):
        return True
    if tuple(item) == FALSE_LEAF or (path is False):
        return False
    op = str(op).lower()
    if op not in OPERATORS:
        raise ValueErrorFault(f"Invalid leaf {item!r}: unknown operator {op!r}")
    return Leaf(str(path), "!=" if op == "<>" else op, value)


def matches(tree: Tree, record: dict[str, Any], resolve: Resolver) -> bool:
    if tree is True or tree is False:
        return tree
    if isinstance(tree, Node):
        if tree.op == "!":
            return not matches(tree.children[0], record, resolve)
        if tree.op == "&":
            return all(matches(c, record, resolve) for c in tree.children)
        return any(matches(c, record, resolve) for c in tree.children)
    values, ftype = resolve(record, tree.path)
    return leaf_matches(tree.operator, tree.value, values, ftype)


def leaf_matches(op: str, target: Any, values: list[Any], ftype: str) -> bool:
    if op in NEGATIVE:
        return not leaf_matches(_positive(op), target, values, ftype)
    empty = [v for v in values if v not in (None, False, "")]
    if op in ("=", "in", "child_of", "parent_of"):
        targets = tuple(target) if isinstance(target, list | tuple | set) else (target,)
        wants_empty = any(t is False or t is None for t in targets)
        if not empty:
            return wants_empty or (op == "=" and ftype == "boolean" and target is False)
        if ftype == "boolean" and op == "=":
            return any(bool(v) == bool(target) for v in values)
        wanted = _wanted(targets, ftype)
        return any(_coerce(v, ftype) in wanted for v in empty)
    if op in ("<", ">", "<=", ">="):
        if target is False or target is None:
            return False
        t = _bound(target, ftype)
        return any(_compare(op, _coerce(v, ftype), t) for v in empty)
    if op in ("like", "ilike", "=like", "=ilike"):
        if target is False or target is None:
            return not empty
        return any(_like(op, str(v), str(target)) for v in empty)
    raise ValueErrorFault(f"unsupported operator {op!r}")


@lru_cache(maxsize=256)
def _wanted(targets: tuple[Any, ...], ftype: str) -> frozenset[Any]:
    """A leaf's values, coerced once per search rather than once per record."""
    return frozenset(_coerce(t, ftype) for t in targets if t is not False and t is not None)


@lru_cache(maxsize=256)
def _bound(target: Any, ftype: str) -> Any:
    return _coerce(target, ftype)


def _positive(op: str) -> str:
    return {"!=": "=", "not in": "in", "not like": "like", "not ilike": "ilike"}[op]


def _compare(op: str, a: Any, b: Any) -> bool:
    try:
        if op == "<":
            return bool(a < b)
        if op == ">":
            return bool(a > b)
        if op == "<=":
            return bool(a <= b)
        return bool(a >= b)
    except TypeError:
        return False


def _like(op: str, value: str, pattern: str) -> bool:
    if op in ("ilike", "=ilike"):
        value, pattern = value.lower(), pattern.lower()
    if op in ("like", "ilike"):
        # Odoo wraps the pattern in % and treats the user's own % and _ as wildcards too.
        return _sql_like(value, f"%{pattern}%")
    return _sql_like(value, pattern)


def _sql_like(value: str, pattern: str) -> bool:
    import re

    regex = "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern)
    return re.fullmatch(regex, value, flags=re.S) is not None


def _coerce(value: Any, ftype: str) -> Any:
    """Compare like with like: Odoo sends dates as strings and numbers as floats."""
    if value is None or value is False:
        return value
    if ftype == "datetime":
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        return parse_datetime(str(value))
    if ftype == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)[:10])
    if ftype in ("float", "monetary", "integer"):
        if isinstance(value, bool):
            return Decimal(int(value))
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return value
    if ftype in ("many2one", "one2many", "many2many"):
        if isinstance(value, list | tuple) and value:
            return value[0]
        return value
    return value


def parse_datetime(text: str) -> datetime:
    text = text.strip().replace("T", " ")
    if text.endswith("Z"):
        text = text[:-1]
    if "+" in text[10:]:
        text = text[: 10 + text[10:].index("+")]
    if len(text) == 10:
        return datetime.fromisoformat(text + " 00:00:00")
    return datetime.fromisoformat(text)
