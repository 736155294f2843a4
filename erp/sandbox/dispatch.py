"""The external API's two services, ``common`` and ``object``, over a ``World``.

``execute_kw`` checks the key, opens a transaction (all or nothing), builds the call's environment
from its context and runs the ORM method or business button by name, with Odoo's parameter names, so
that positional (XML-RPC, JSON-RPC) and named (``/json/2``) arguments both bind as they do in Odoo.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from erp.sandbox.business import METHODS
from erp.sandbox.exceptions import AccessDeniedFault, AccessErrorFault, DatabaseMissingFault, OdooFault
from erp.sandbox.world import Env, World

SERVER_VERSION = {
    "server_version": "18.0",
    "server_version_info": [18, 0, 0, "final", 0, ""],
    "server_serie": "18.0",
    "protocol_version": 1,
}


class AttributeErrorFault(OdooFault):
    name = "builtins.AttributeError"


class TypeErrorFault(OdooFault):
    name = "builtins.TypeError"


def common(world: World, method: str, args: Sequence[Any]) -> Any:
    if method == "version":
        return dict(SERVER_VERSION)
    if method in ("authenticate", "login"):
        db, login, secret = args[0], args[1], args[2]
        _check_db(world, db)
        uid = world.check_key(str(login), str(secret))
        return uid if uid is not None else False
    raise AttributeErrorFault(f"The method {method!r} does not exist on the common service")


def _check_db(world: World, db: Any) -> None:
    if db != world.db:
        raise DatabaseMissingFault(f'connection to server failed: FATAL:  database "{db}" does not exist')


def authorise(world: World, db: Any, uid: Any, secret: Any) -> int:
    _check_db(world, db)
    checked = world.check_key(int(uid) if isinstance(uid, int) else str(uid), str(secret))
    if checked is None:
        raise AccessDeniedFault()
    return checked


def execute_kw(world: World, uid: int, model: str, method: str, args: Sequence[Any],
               kwargs: Mapping[str, Any] | None) -> Any:
    kw = dict(kwargs or {})
    context = kw.pop("context", None) or {}
    if method.startswith("_"):
        raise AccessErrorFault(f"Private methods (such as '{method}') cannot be called remotely.")
    with world.transaction():
        env = world.env(uid, context)
        return call(env, model, method, list(args), kw)


def call(env: Env, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    env.mdef(model)
    handler = ORM.get(method)
    if handler is not None:
        return _bind(handler, f"{model}.{method}", env, model, *args, **kwargs)
    business = METHODS.get((model, method))
    if business is not None:
        if not args and "ids" in kwargs:
            args = [kwargs.pop("ids")]
        ids = [int(i) for i in (args[0] if args else [])]
        return _bind(business, f"{model}.{method}", env, ids, *args[1:], **kwargs)
    raise AttributeErrorFault(f"The method '{method}' does not exist on the model '{model}'")


def _bind(fn: Any, what: str, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except TypeError as exc:
        if "argument" in str(exc):
            raise TypeErrorFault(f"{what}() {exc}") from exc
        raise


# -- the ORM methods, with Odoo 17/18's parameter names ----------------------------------------------

def _search(env: Env, model: str, domain: Sequence[Any] = (), offset: int = 0, limit: int | None = None,
            order: str | None = None) -> list[int]:
    return env.search(model, list(domain or []), offset=offset or 0, limit=limit or None, order=order or None)


def _search_count(env: Env, model: str, domain: Sequence[Any] = (), limit: int | None = None) -> int:
    found = env.search(model, list(domain or []))
    return min(len(found), limit) if limit else len(found)


def _search_read(env: Env, model: str, domain: Sequence[Any] | None = None, fields: Sequence[str] | None = None,
                 offset: int = 0, limit: int | None = None, order: str | None = None,
                 load: str = "_classic_read") -> list[dict[str, Any]]:
    ids = _search(env, model, domain or [], offset, limit, order)
    return env.read(model, ids, fields, load=load)


def _read(env: Env, model: str, ids: Sequence[int], fields: Sequence[str] | None = None,
          load: str | None = "_classic_read") -> list[dict[str, Any]]:
    return env.read(model, [int(i) for i in ids], fields, load=load)


def _web_search_read(env: Env, model: str, domain: Sequence[Any], specification: Mapping[str, Any],
                     offset: int = 0, limit: int | None = None, order: str | None = None,
                     count_limit: int | None = None) -> dict[str, Any]:
    ids = _search(env, model, domain, offset, limit, order)
    records = env.web_read(model, ids, specification)
    length = len(records) + (offset or 0)
    # As Odoo: a full page means there may be more, and only then is a count run (unless capped).
    if limit and len(records) == limit and not (count_limit and count_limit <= length):
        length = len(env.search(model, list(domain or [])))
    return {"length": length, "records": records}


def _web_read(env: Env, model: str, ids: Sequence[int], specification: Mapping[str, Any]) -> list[dict[str, Any]]:
    return env.web_read(model, [int(i) for i in ids], specification)


def _create(env: Env, model: str, vals_list: Any) -> Any:
    if isinstance(vals_list, Mapping):
        return env.create(model, vals_list)
    return [env.create(model, vals) for vals in vals_list]


def _write(env: Env, model: str, ids: Sequence[int], vals: Mapping[str, Any]) -> bool:
    return env.write(model, [int(i) for i in ids], vals)


def _unlink(env: Env, model: str, ids: Sequence[int]) -> bool:
    return env.unlink(model, [int(i) for i in ids])


def _fields_get(env: Env, model: str, allfields: Sequence[str] | None = None,
                attributes: Sequence[str] | None = None) -> dict[str, Any]:
    described = env.fields_get(model, attributes)
    return {k: v for k, v in described.items() if not allfields or k in allfields}


ORM: dict[str, Any] = {
    "search": _search,
    "search_count": _search_count,
    "search_read": _search_read,
    "read": _read,
    "web_search_read": _web_search_read,
    "web_read": _web_read,
    "create": _create,
    "write": _write,
    "unlink": _unlink,
    "fields_get": _fields_get,
}
