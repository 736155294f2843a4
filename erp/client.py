"""The Odoo client: authenticate once, call with retries, read field names from the server.

``OdooClient`` wraps one of the protocols in ``erp.protocols``. It authenticates lazily, once per
process (Odoo spends ~0.8 s hashing the key on every ``authenticate``), keeps the HTTP connection alive,
and retries what is safe to retry:

- ``ErpUnavailable`` (the request never reached Odoo, or a 503) and ``ErpConcurrencyError`` (Odoo rolled
  the transaction back) are retried for every call, with exponential backoff and jitter;
- ``ErpOutcomeUnknown`` (a timeout or dropped connection after the request was sent) only for reads:
  a create might have happened, and the caller has to look before trying again.

Multi-company: Odoo shows and writes records of the companies in the context's ``allowed_company_ids``
(by default only the user's current company). ``for_companies`` returns a client whose every call
carries that context, sharing the connection.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx

from erp.errors import (
    ErpAuthenticationError,
    ErpConcurrencyError,
    ErpConfigurationError,
    ErpError,
    ErpOutcomeUnknown,
    ErpProtocolError,
    ErpUnavailable,
)
from erp.protocols import PROTOCOLS, RETURNED_NONE, Call, RpcProtocol

log = logging.getLogger("payables.erp")

# Methods that change nothing: a retry after a lost answer is harmless.
READ_METHODS = frozenset({
    "search", "search_read", "search_count", "read", "web_search_read", "web_read", "fields_get",
    "name_search", "read_group", "check_access_rights", "default_get", "context_get",
})
FIELD_ATTRIBUTES = ["type", "relation", "string", "required", "readonly", "store"]
Domain = list[Any]


class OdooSettings(Protocol):
    """What the client needs from ``payables.settings.Settings`` (read structurally: erp sits below it)."""

    odoo_url: str | None
    odoo_db: str | None
    odoo_user: str | None
    odoo_protocol: str
    odoo_timeout_s: float

    def secret(self, name: str) -> str | None: ...


@dataclass(frozen=True)
class OdooConfig:
    url: str
    db: str
    user: str
    api_key: str = field(repr=False)
    protocol: str = "xmlrpc"
    timeout_s: float = 30.0
    max_attempts: int = 5
    backoff_s: float = 0.5
    max_backoff_s: float = 8.0

    def __post_init__(self) -> None:
        if self.protocol not in PROTOCOLS:
            raise ErpConfigurationError(f"unknown Odoo protocol {self.protocol!r}: use xmlrpc, jsonrpc or json2")
        if not self.url.startswith(("http://", "https://")):
            raise ErpConfigurationError(f"the Odoo URL must start with http:// or https://, not {self.url!r}")

    @classmethod
    def from_settings(cls, settings: OdooSettings) -> OdooConfig:
        values = {"PAYABLES_ODOO_URL": settings.odoo_url, "PAYABLES_ODOO_DB": settings.odoo_db,
                  "PAYABLES_ODOO_USER": settings.odoo_user,
                  "PAYABLES_ODOO_API_KEY (or _FILE)": settings.secret("odoo_api_key")}
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise ErpConfigurationError(f"Odoo is not configured: set {', '.join(missing)}")
        return cls(url=str(settings.odoo_url), db=str(settings.odoo_db), user=str(settings.odoo_user),
                   api_key=str(settings.secret("odoo_api_key")), protocol=settings.odoo_protocol,
                   timeout_s=settings.odoo_timeout_s)

    @classmethod
    def from_environment(cls, env: Mapping[str, str], **overrides: Any) -> OdooConfig | None:
        """From ``ODOO_URL``, ``ODOO_DB``, ``ODOO_USER``, ``ODOO_API_KEY`` (the contract suite's variables)."""
        names = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_API_KEY")
        if not all(env.get(n) for n in names):
            return None
        key = env["ODOO_API_KEY"]
        if key.startswith("@"):
            key = Path(key[1:]).read_text(encoding="utf-8").strip()
        return cls(url=env["ODOO_URL"], db=env["ODOO_DB"], user=env["ODOO_USER"], api_key=key,
                   protocol=env.get("ODOO_PROTOCOL", "xmlrpc"), **overrides)


@dataclass
class CallStats:
    """Requests sent, by ``model.method``, retries included: what benchmarks report."""

    calls: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    wait_s: float = 0.0  # time spent in requests, answer parsing included
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, what: str) -> None:
        with self.lock:
            self.calls[what] += 1

    @property
    def total(self) -> int:
        return sum(self.calls.values())


class _Connection:
    """What every view of one client shares: the HTTP pool, the uid, the caches and the counters."""

    def __init__(self, config: OdooConfig, transport: httpx.BaseTransport | None) -> None:
        self.config = config
        timeout = httpx.Timeout(config.timeout_s, connect=min(config.timeout_s, 10.0))
        self.http = httpx.Client(timeout=timeout, transport=transport,
                                 limits=httpx.Limits(max_keepalive_connections=8, max_connections=16))
        self.protocol: RpcProtocol = PROTOCOLS[config.protocol](config.url, self.http)
        self.lock = threading.Lock()
        self.uid: int | None = None
        self.version: dict[str, Any] | None = None
        self.fields: dict[str, dict[str, dict[str, Any]]] = {}
        self.user: dict[str, Any] | None = None
        self.stats = CallStats()


class OdooClient:
    def __init__(self, config: OdooConfig, *, transport: httpx.BaseTransport | None = None,
                 context: Mapping[str, Any] | None = None, _connection: _Connection | None = None) -> None:
        self._conn = _connection or _Connection(config, transport)
        self.config = config
        self.context: dict[str, Any] = dict(context or {})

    # -- connection ---------------------------------------------------------------------------------

    @property
    def stats(self) -> CallStats:
        return self._conn.stats

    def close(self) -> None:
        self._conn.http.close()

    def __enter__(self) -> OdooClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def for_companies(self, company_ids: Sequence[int]) -> OdooClient:
        """A view of this client whose calls see and write only these companies (the first is current)."""
        context = {**self.context, "allowed_company_ids": [int(c) for c in company_ids]}
        return OdooClient(self.config, context=context, _connection=self._conn)

    def with_context(self, **values: Any) -> OdooClient:
        return OdooClient(self.config, context={**self.context, **values}, _connection=self._conn)

    def version(self) -> dict[str, Any]:
        if self._conn.version is None:
            self._conn.version = self._retrying("version", self._conn.protocol.version, idempotent=True)
        return self._conn.version

    def server_major(self) -> int:
        info = self.version().get("server_version_info") or []
        try:
            return int(info[0])
        except (IndexError, TypeError, ValueError):
            serie = str(self.version().get("server_serie") or self.version().get("server_version") or "0")
            digits = "".join(ch for ch in serie.split(".", maxsplit=1)[0] if ch.isdigit())
            return int(digits or 0)

    @property
    def has_web_search_read(self) -> bool:
        """``web_search_read`` with a specification (one call for records and their lines) exists from 17."""
        return self.server_major() >= 17

    @property
    def uid(self) -> int:
        if self._conn.uid is None:
            with self._conn.lock:
                if self._conn.uid is None:
                    cfg = self.config
                    uid = self._retrying("authenticate",
                                         lambda: self._conn.protocol.authenticate(cfg.db, cfg.user, cfg.api_key),
                                         idempotent=True)
                    if not uid:
                        raise ErpAuthenticationError(
                            f"Odoo refused user {cfg.user!r} on database {cfg.db!r}: check PAYABLES_ODOO_USER and "
                            "the API key (Odoo: Preferences → Account Security → New API Key)")
                    self._conn.uid = uid
        return self._conn.uid

    # -- calling ----------------------------------------------------------------------------------------

    def execute(self, model: str, method: str, args: Sequence[Any] = (), kwargs: Mapping[str, Any] | None = None,
                *, arg_names: Sequence[str] = (), idempotent: bool | None = None) -> Any:
        """One ``execute_kw`` with this view's context; ``RETURNED_NONE`` becomes ``None``."""
        kw = dict(kwargs or {})
        if self.context:
            kw["context"] = {**self.context, **(kw.get("context") or {})}
        call = Call(model, method, list(args), kw, tuple(arg_names))
        safe = method in READ_METHODS if idempotent is None else idempotent
        uid = self.uid
        cfg = self.config
        result = self._retrying(f"{model}.{method}",
                                lambda: self._conn.protocol.execute(cfg.db, uid, cfg.api_key, call),
                                idempotent=safe)
        if result is RETURNED_NONE:
            log.info("%s.%s returned nothing (it ran and committed); callers re-read what it changed",
                     model, method)
            return None
        return result

    def _retrying(self, what: str, fn: Any, *, idempotent: bool) -> Any:
        cfg = self.config
        attempt = 0
        while True:
            attempt += 1
            self._conn.stats.count(what)
            began = time.perf_counter()
            try:
                return fn()
            except (ErpUnavailable, ErpConcurrencyError) as exc:
                error: ErpError = exc
            except ErpOutcomeUnknown as exc:
                if not idempotent:
                    raise
                error = exc
            finally:
                with self._conn.stats.lock:
                    self._conn.stats.wait_s += time.perf_counter() - began
            if attempt >= cfg.max_attempts:
                raise error
            delay = min(cfg.max_backoff_s, cfg.backoff_s * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
            log.warning("Odoo %s failed (try %d of %d), retrying in %.2fs: %s", what, attempt, cfg.max_attempts,
                        delay, error)
            with self._conn.stats.lock:
                self._conn.stats.retries += 1
            time.sleep(delay)

    # -- the ORM methods ------------------------------------------------------------------------------

    def search(self, model: str, domain: Domain, *, offset: int = 0, limit: int | None = None,
               order: str | None = None) -> list[int]:
        kw = _paging(offset, limit, order)
        ids = self.execute(model, "search", [domain], kw, arg_names=("domain",))
        return [int(i) for i in ids or []]

    def search_count(self, model: str, domain: Domain) -> int:
        return int(self.execute(model, "search_count", [domain], arg_names=("domain",)) or 0)

    def search_read(self, model: str, domain: Domain, fields: Sequence[str], *, offset: int = 0,
                    limit: int | None = None, order: str | None = None) -> list[dict[str, Any]]:
        kw = {"fields": list(fields), **_paging(offset, limit, order)}
        return list(self.execute(model, "search_read", [domain], kw, arg_names=("domain",)) or [])

    def read(self, model: str, ids: Sequence[int], fields: Sequence[str]) -> list[dict[str, Any]]:
        if not ids:
            return []
        return list(self.execute(model, "read", [list(ids)], {"fields": list(fields)}, arg_names=("ids",)) or [])

    def web_search_read(self, model: str, domain: Domain, specification: Mapping[str, Any], *, offset: int = 0,
                        limit: int | None = None, order: str | None = None) -> list[dict[str, Any]]:
        """Records with nested relations in one call (17+). ``count_limit=1`` spares Odoo the
        ``search_count`` it would otherwise run on every full page just to report a total."""
        kw = {"specification": dict(specification), "count_limit": 1, **_paging(offset, limit, order)}
        result = self.execute(model, "web_search_read", [domain], kw, arg_names=("domain",))
        if not isinstance(result, dict) or "records" not in result:
            raise ErpProtocolError(f"web_search_read on {model} did not return records", model=model,
                                   method="web_search_read")
        return list(result["records"])

    def create(self, model: str, vals: Mapping[str, Any]) -> int:
        """Create one record. NOT idempotent: on ``ErpOutcomeUnknown`` look for it before creating again."""
        result = self.execute(model, "create", [dict(vals)], arg_names=("vals_list",), idempotent=False)
        if isinstance(result, list):
            result = result[0] if result else None
        if not isinstance(result, int) or isinstance(result, bool):
            raise ErpProtocolError(f"create on {model} returned {result!r}, not an id", model=model, method="create")
        return result

    def write(self, model: str, ids: Sequence[int], vals: Mapping[str, Any]) -> bool:
        # Writing the same values twice leaves the same record: safe to retry.
        return bool(self.execute(model, "write", [list(ids), dict(vals)], arg_names=("ids", "vals"),
                                 idempotent=True))

    def unlink(self, model: str, ids: Sequence[int]) -> bool:
        return bool(self.execute(model, "unlink", [list(ids)], arg_names=("ids",), idempotent=False))

    def call(self, model: str, method: str, ids: Sequence[int], **kwargs: Any) -> Any:
        """A button or action method on records (``button_confirm``, ``action_post``…); ``None`` when Odoo
        returned nothing, in which case the caller re-reads the records to see what happened."""
        return self.execute(model, method, [list(ids)], kwargs, arg_names=("ids",), idempotent=False)

    # -- what the server has ------------------------------------------------------------------------

    def fields(self, model: str) -> dict[str, dict[str, Any]]:
        """``fields_get`` of a model, once per process: names differ between Odoo 16, 17, 18 and 19."""
        cached = self._conn.fields.get(model)
        if cached is None:
            result = self.execute(model, "fields_get", [], {"attributes": FIELD_ATTRIBUTES})
            cached = dict(result or {})
            self._conn.fields[model] = cached
        return cached

    def has_field(self, model: str, name: str) -> bool:
        return name in self.fields(model)

    def pick_field(self, model: str, *candidates: str) -> str | None:
        """The first of ``candidates`` this server's model has (e.g. ``taxes_id`` or 19's ``tax_ids``)."""
        available = self.fields(model)
        return next((c for c in candidates if c in available), None)

    def existing_fields(self, model: str, wanted: Sequence[str]) -> list[str]:
        available = self.fields(model)
        return [f for f in wanted if f in available]

    def user(self) -> dict[str, Any]:
        """The connector's user: its current company and all the companies it may work in."""
        if self._conn.user is None:
            rows = self.read("res.users", [self.uid], ["company_id", "company_ids", "login"])
            if not rows:
                raise ErpAuthenticationError(f"Odoo has no user with id {self.uid}")
            self._conn.user = rows[0]
        return self._conn.user

    def forget_user(self) -> None:
        """Read the user again on next use (after its companies changed)."""
        self._conn.user = None

    def user_company_ids(self) -> list[int]:
        user = self.user()
        ids = [int(i) for i in user.get("company_ids") or []]
        current = m2o_id(user.get("company_id"))
        if current is not None and current in ids:
            ids.remove(current)
            ids.insert(0, current)
        return ids or ([current] if current else [])


def _paging(offset: int, limit: int | None, order: str | None) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    if offset:
        kw["offset"] = offset
    if limit is not None:
        kw["limit"] = limit
    if order:
        kw["order"] = order
    return kw


def m2o_id(value: Any) -> int | None:
    """A many2one as Odoo sends it (``[id, name]``, ``{"id": …}``, an int, ``False``) → the id or None."""
    if value is None or value is False:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple):
        return int(value[0]) if value else None
    if isinstance(value, dict):
        inner = value.get("id")
        return int(inner) if isinstance(inner, int) and not isinstance(inner, bool) else None
    raise ErpProtocolError(f"not a many2one value: {value!r}")
