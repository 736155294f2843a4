"""The three ways to speak to Odoo: XML-RPC, JSON-RPC and Odoo 19's ``/json/2``.

Each protocol turns one ``execute_kw`` into an HTTP request on a shared ``httpx.Client`` (keep-alive,
timeouts) and turns the reply, or Odoo's error in it, into a value or one of ``erp.errors``. Retrying is
the client's job; a protocol only says what happened, precisely enough to decide whether a retry is safe:
``ErpUnavailable`` (the call did not run), ``ErpOutcomeUnknown`` (it may have run).
"""

from __future__ import annotations

import itertools
import json
import re
import xmlrpc.client
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

import httpx

from erp.errors import (
    ErpAuthenticationError,
    ErpError,
    ErpOutcomeUnknown,
    ErpProtocolError,
    ErpUnavailable,
    error_for,
)

# XML-RPC fault codes of Odoo's /xmlrpc/2 endpoints (odoo/addons/base/controllers/rpc.py).
FAULT_APPLICATION = 1
FAULT_WARNING = 2
FAULT_ACCESS_DENIED = 3
FAULT_ACCESS_ERROR = 4

# A method returning None makes Odoo's XML-RPC marshaller fail *after* the transaction committed.
_NONE_MARSHAL = re.compile(r"TypeError: cannot marshal None unless allow_none is enabled\s*$")
_MISSING_PREFIX = "Record does not exist or has been deleted"
_EXC_LINE = re.compile(r"^([\w.]+(?:Error|Exception|Failure|Denied|Warning)[\w.]*): (.*)$", re.M)


class ReturnedNone:
    """The call ran and committed but returned nothing (Odoo's ``None``): re-read what it changed."""

    def __repr__(self) -> str:
        return "ReturnedNone"


RETURNED_NONE = ReturnedNone()


@dataclass(frozen=True)
class Call:
    """One ``execute_kw``. ``arg_names`` names the positional ``args`` for ``/json/2``, which only takes
    named parameters; XML-RPC and JSON-RPC send them positionally (names differ across Odoo versions)."""

    model: str
    method: str
    args: Sequence[Any] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    arg_names: Sequence[str] = ()


class RpcProtocol(Protocol):
    name: str

    def version(self) -> dict[str, Any]: ...

    def authenticate(self, db: str, login: str, secret: str) -> int | None: ...

    def execute(self, db: str, uid: int, secret: str, call: Call) -> Any: ...


def wire_value(value: Any) -> Any:
    """Python values as Odoo's API takes them: ``None`` as ``False`` (Odoo's empty value, and XML-RPC
    cannot carry None), ``Decimal`` as float (Odoo parses numbers to float itself, so nothing is lost
    that Odoo would keep), tuples as lists."""
    if value is None:
        return False
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): wire_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [wire_value(v) for v in value]
    return value


def _http_post(http: httpx.Client, url: str, *, content: bytes, headers: dict[str, str],
               what: str) -> httpx.Response:
    try:
        response = http.post(url, content=content, headers=headers)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise ErpUnavailable(f"cannot reach Odoo at {url} for {what}: {exc or type(exc).__name__}") from exc
    except (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
        raise ErpOutcomeUnknown(f"Odoo did not answer {what} at {url} ({type(exc).__name__}: {exc}); the call "
                                "may or may not have been done") from exc
    except httpx.HTTPError as exc:
        raise ErpUnavailable(f"cannot talk to Odoo at {url} for {what}: {exc}") from exc
    _raise_for_gateway(response, url, what)
    return response


def _raise_for_gateway(response: httpx.Response, url: str, what: str) -> None:
    status = response.status_code
    if status == 503:
        raise ErpUnavailable(f"Odoo at {url} is unavailable (HTTP 503) for {what}")
    if status in (502, 504):
        # A proxy's 502/504 can come after Odoo received the request and while it still runs.
        raise ErpOutcomeUnknown(f"the proxy in front of Odoo answered HTTP {status} for {what}; the call may or "
                                "may not have been done")
    if status == 429:
        raise ErpUnavailable(f"Odoo at {url} is rate-limiting requests (HTTP 429) for {what}")


def _last_exception_line(debug: str) -> tuple[str | None, str]:
    """The exception class and message from the end of a Python traceback."""
    matches = _EXC_LINE.findall(debug.strip())
    if matches:
        name, message = matches[-1]
        return name, message.strip()
    lines = [ln for ln in debug.strip().splitlines() if ln.strip()]
    return None, (lines[-1].strip() if lines else "")


class XmlRpcProtocol:
    name = "xmlrpc"

    def __init__(self, base_url: str, http: httpx.Client) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http
        self._headers = {"Content-Type": "text/xml; charset=utf-8"}

    def _rpc(self, service: str, method: str, params: Sequence[Any], what: str,
             model: str | None = None, odoo_method: str | None = None) -> Any:
        body = xmlrpc.client.dumps(tuple(wire_value(list(params))), method, allow_none=False).encode()
        url = f"{self.base_url}/xmlrpc/2/{service}"
        response = _http_post(self.http, url, content=body, headers=self._headers, what=what)
        if response.status_code != 200:
            raise ErpProtocolError(f"Odoo answered HTTP {response.status_code} to {what}: "
                                   f"{response.text[:300]}", model=model, method=odoo_method)
        try:
            (result,), _ = xmlrpc.client.loads(response.content, use_datetime=False)
        except xmlrpc.client.Fault as fault:
            return self._fault(fault, model, odoo_method)
        except Exception as exc:
            raise ErpProtocolError(f"Odoo's reply to {what} is not XML-RPC: {exc}", model=model,
                                   method=odoo_method) from exc
        return result

    def _fault(self, fault: xmlrpc.client.Fault, model: str | None, method: str | None) -> Any:
        text = str(fault.faultString or "")
        if _NONE_MARSHAL.search(text):
            return RETURNED_NONE
        code: Any = fault.faultCode
        if code in (FAULT_ACCESS_DENIED, "AccessDenied"):
            raise error_for("odoo.exceptions.AccessDenied", text, model=model, method=method)
        if code == FAULT_ACCESS_ERROR:
            raise error_for("odoo.exceptions.AccessError", text, model=model, method=method)
        if code == FAULT_WARNING:
            # /xmlrpc/2 folds every UserError (ValidationError, MissingError…) into one code; the text
            # is Odoo's message, which is what the clerk needs. MissingError's wording is fixed.
            name = "MissingError" if text.startswith(_MISSING_PREFIX) else "UserError"
            raise error_for(f"odoo.exceptions.{name}", text, model=model, method=method)
        if isinstance(code, str) and code.startswith("warning -- "):
            # The legacy /xmlrpc endpoint: "warning -- UserError\n\nmessage".
            kind, _, message = code[len("warning -- "):].partition("\n\n")
            raise error_for(f"odoo.exceptions.{kind.strip()}", message.strip() or text, model=model,
                            method=method)
        exc_name, message = _last_exception_line(text)
        raise error_for(exc_name, message or text, model=model, method=method, debug=text)

    def version(self) -> dict[str, Any]:
        result = self._rpc("common", "version", [], "version")
        return dict(result) if isinstance(result, dict) else {}

    def authenticate(self, db: str, login: str, secret: str) -> int | None:
        uid = self._rpc("common", "authenticate", [db, login, secret, {}], "authenticate")
        return uid if isinstance(uid, int) and not isinstance(uid, bool) and uid > 0 else None

    def execute(self, db: str, uid: int, secret: str, call: Call) -> Any:
        params = [db, uid, secret, call.model, call.method, list(call.args), dict(call.kwargs)]
        return self._rpc("object", "execute_kw", params, f"{call.model}.{call.method}", call.model, call.method)


class JsonRpcProtocol:
    name = "jsonrpc"

    def __init__(self, base_url: str, http: httpx.Client) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http
        self._ids = itertools.count(1)

    def _rpc(self, service: str, method: str, args: Sequence[Any], what: str,
             model: str | None = None, odoo_method: str | None = None) -> Any:
        payload = {"jsonrpc": "2.0", "method": "call", "id": next(self._ids),
                   "params": {"service": service, "method": method, "args": wire_value(list(args))}}
        url = f"{self.base_url}/jsonrpc"
        response = _http_post(self.http, url, content=json.dumps(payload).encode(),
                              headers={"Content-Type": "application/json"}, what=what)
        try:
            reply = response.json()
        except ValueError as exc:
            raise ErpProtocolError(f"Odoo's reply to {what} is not JSON (HTTP {response.status_code}): "
                                   f"{response.text[:300]}", model=model, method=odoo_method) from exc
        if not isinstance(reply, dict):
            raise ErpProtocolError(f"Odoo's reply to {what} is not a JSON-RPC object", model=model,
                                   method=odoo_method)
        error = reply.get("error")
        if error is not None:
            raise _json_error(error, model, odoo_method)
        if "result" not in reply:
            # Odoo leaves ``result`` out when the method returned None; the transaction committed.
            return RETURNED_NONE
        return reply["result"]

    def version(self) -> dict[str, Any]:
        result = self._rpc("common", "version", [], "version")
        return dict(result) if isinstance(result, dict) else {}

    def authenticate(self, db: str, login: str, secret: str) -> int | None:
        uid = self._rpc("common", "authenticate", [db, login, secret, {}], "authenticate")
        return uid if isinstance(uid, int) and not isinstance(uid, bool) and uid > 0 else None

    def execute(self, db: str, uid: int, secret: str, call: Call) -> Any:
        args = [db, uid, secret, call.model, call.method, list(call.args), dict(call.kwargs)]
        return self._rpc("object", "execute_kw", args, f"{call.model}.{call.method}", call.model, call.method)


def _json_error(error: Any, model: str | None, method: str | None) -> ErpError:
    data = error.get("data") if isinstance(error, dict) else None
    if isinstance(data, dict):
        message = str(data.get("message") or error.get("message") or "")
        return error_for(data.get("name"), message, model=model, method=method, debug=str(data.get("debug") or ""))
    if isinstance(error, dict) and error.get("code") == 100:
        return ErpAuthenticationError("Odoo says the session is invalid or expired", model=model, method=method)
    return ErpProtocolError(f"Odoo returned an error without details: {error!r}"[:500], model=model, method=method)


class Json2Protocol:
    """Odoo 19's ``POST /json/2/<model>/<method>``: bearer API key, named parameters, HTTP status codes."""

    name = "json2"

    def __init__(self, base_url: str, http: httpx.Client) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http

    def version(self) -> dict[str, Any]:
        # /json/2 exists from Odoo 19 on: that is the floor when the server does not say more.
        floor = {"server_serie": "19.0", "server_version_info": [19, 0, 0, "final", 0, ""]}
        try:
            response = self.http.get(f"{self.base_url}/web/version")
        except httpx.HTTPError as exc:
            raise ErpUnavailable(f"cannot reach Odoo at {self.base_url}: {exc}") from exc
        try:
            data = response.json() if response.status_code == 200 else None
        except ValueError:
            data = None
        if not isinstance(data, dict) or not data.get("version_info"):
            return floor
        return {"server_serie": data.get("version"), "server_version_info": data["version_info"]}

    def authenticate(self, db: str, login: str, secret: str) -> int | None:
        # /json/2 has no session: every request carries the key. The uid is the key's user.
        rows = self.execute(db, 0, secret, Call("res.users", "search_read", [[["login", "=", login]]],
                                                {"fields": ["id"], "limit": 1}, ("domain",)))
        if not rows:
            return None
        uid = rows[0]["id"]
        return int(uid) if isinstance(uid, int) else None

    def execute(self, db: str, uid: int, secret: str, call: Call) -> Any:
        body: dict[str, Any] = dict(call.kwargs)
        names = list(call.arg_names)
        for i, value in enumerate(call.args):
            if i >= len(names):
                raise ErpProtocolError(f"/json/2 needs a name for argument {i} of {call.model}.{call.method}",
                                       model=call.model, method=call.method)
            body[names[i]] = value
        what = f"{call.model}.{call.method}"
        url = f"{self.base_url}/json/2/{call.model}/{call.method}"
        headers = {"Content-Type": "application/json; charset=utf-8", "Authorization": f"bearer {secret}",
                   "X-Odoo-Database": db, "User-Agent": "payables"}
        response = _http_post(self.http, url, content=json.dumps(wire_value(body)).encode(), headers=headers,
                              what=what)
        try:
            data = response.json() if response.content else None
        except ValueError as exc:
            raise ErpProtocolError(f"Odoo's reply to {what} is not JSON (HTTP {response.status_code})",
                                   model=call.model, method=call.method) from exc
        if response.status_code == 200:
            return RETURNED_NONE if data is None else data
        if response.status_code == 401:
            raise error_for("odoo.exceptions.AccessDenied", _json2_message(data), model=call.model,
                            method=call.method)
        if isinstance(data, dict) and data.get("name"):
            raise error_for(str(data["name"]), _json2_message(data), model=call.model, method=call.method,
                            debug=str(data.get("debug") or ""))
        raise ErpProtocolError(f"Odoo answered HTTP {response.status_code} to {what}: {response.text[:300]}",
                               model=call.model, method=call.method)


def _json2_message(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("message") or "")
    return ""


PROTOCOLS: dict[str, type[XmlRpcProtocol] | type[JsonRpcProtocol] | type[Json2Protocol]] = {
    "xmlrpc": XmlRpcProtocol,
    "jsonrpc": JsonRpcProtocol,
    "json2": Json2Protocol,
}
