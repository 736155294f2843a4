"""The sandbox's HTTP face: Odoo's paths, encodings and error shapes, plus a control endpoint.

- ``POST /xmlrpc/2/common`` and ``/xmlrpc/2/object``: XML-RPC, faults with Odoo's ``/xmlrpc/2`` codes
  (1 server error with the traceback, 2 user error, 3 access denied, 4 access error). A method returning
  None fails to marshal after its transaction committed, exactly as in Odoo.
- ``POST /jsonrpc``: JSON-RPC 2.0; errors carry ``data.name`` (``odoo.exceptions.UserError`` …); a None
  result leaves ``result`` out.
- ``POST /json/2/<model>/<method>``: Odoo 19's API with a bearer key and named parameters.
- ``POST /sandbox/control``, ``GET /sandbox/state``: fault injection and call counts, for tests and
  benchmarks (loopback only; this is a test server).
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
import xmlrpc.client
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from erp.sandbox import dispatch
from erp.sandbox.exceptions import (
    AccessDeniedFault,
    AccessErrorFault,
    MissingErrorFault,
    OdooFault,
    SerializationFailureFault,
    UserErrorFault,
)
from erp.sandbox.faults import FaultPlan, FaultRule
from erp.sandbox.world import World

log = logging.getLogger("payables.erp.sandbox")
_DROP = object()
_DOWN = object()


class SandboxServer:
    """An Odoo-protocol server over a ``World``, run in a background thread (or in the foreground)."""

    def __init__(self, world: World, host: str = "127.0.0.1", port: int = 0) -> None:
        self.world = world
        self.faults = FaultPlan()
        self.calls: Counter[str] = Counter()
        self.call_log: list[str] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self._idle = threading.Condition(self._lock)
        self.httpd = _Server((host, port), _Handler)
        self.httpd.sandbox = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        host = self.httpd.server_address[0]
        return f"http://{host if isinstance(host, str) else host.decode()}:{self.port}"

    def start(self) -> SandboxServer:
        # A short poll interval: stopping waits for the loop to notice, and tests stop a server each.
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="odoo-sandbox", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.faults.clear()
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add_fault(self, kind: str, **kwargs: Any) -> FaultRule:
        return self.faults.add(FaultRule(kind=kind, **kwargs))

    def record_call(self, what: str) -> None:
        with self._lock:
            self.calls[what] += 1
            self.call_log.append(what)

    def reset_calls(self) -> None:
        with self._lock:
            self.calls.clear()
            self.call_log.clear()

    def control(self, data: dict[str, Any]) -> dict[str, Any]:
        action = data.get("action")
        if action == "fault":
            rule = self.faults.add(FaultRule.from_json(data))
            return {"ok": True, "kind": rule.kind}
        if action == "clear":
            self.faults.clear()
        elif action == "release":
            self.faults.release()
        elif action == "reset_calls":
            self.reset_calls()
        else:
            raise ValueError(f"unknown control action {action!r}")
        return {"ok": True}

    def state(self) -> dict[str, Any]:
        held = self.faults.held
        with self._lock:
            return {"held": None if held is None else vars(held), "calls": dict(self.calls),
                    "call_log": list(self.call_log)}

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Wait until no call is running (one released from a hold finishes its work first)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout_s)

    def run_object_call(self, model: str | None, method: str | None, fn: Callable[[], Any]) -> Any:
        """Run one object call under the fault plan: the result, ``_DROP`` or ``_DOWN``; faults raise."""
        with self._lock:
            self._in_flight += 1
        try:
            return self._run_object_call(model, method, fn)
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def _run_object_call(self, model: str | None, method: str | None, fn: Callable[[], Any]) -> Any:
        self.record_call(f"{model}.{method}")
        rules = self.faults.take(model, method)
        kinds = {r.kind for r in rules}
        if "down" in kinds:
            return _DOWN
        for rule in rules:
            if rule.kind == "delay":
                time.sleep(rule.delay_s)
        if "serialization" in kinds:
            raise SerializationFailureFault()
        for rule in rules:
            if rule.kind == "hold" and rule.when == "before":
                self.faults.hold(model, method, "before")
        result = fn()
        for rule in rules:
            if rule.kind == "hold" and rule.when == "after":
                self.faults.hold(model, method, "after")
        if "drop" in kinds:
            return _DROP
        return result


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: SandboxServer


def _traceback(exc: BaseException) -> str:
    name = getattr(exc, "name", type(exc).__name__)
    short = name.removeprefix("builtins.")
    message = getattr(exc, "message", str(exc))
    return ("Traceback (most recent call last):\n  File \"/usr/lib/python3/dist-packages/odoo/http.py\", line 2138, "
            "in _serve_db\n    return service_model.retrying(self._serve_ir_http, self.env)\n"
            f"{short}: {message}\n")


def _odoo_name(exc: BaseException) -> str:
    return exc.name if isinstance(exc, OdooFault) else f"builtins.{type(exc).__name__}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox: " + format, *args)

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm holds the body back
        # until the client's delayed ACK (40 ms a call on loopback).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    @property
    def sandbox(self) -> SandboxServer:
        return self.server.sandbox

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _unavailable(self) -> None:
        self._send(503, b"<html><body><h1>503 Service Unavailable</h1></body></html>", "text/html")

    def do_GET(self) -> None:
        if self.path == "/web/version":
            info = dispatch.SERVER_VERSION
            body = {"version_info": info["server_version_info"], "version": info["server_version"]}
            self._send(200, json.dumps(body).encode(), "application/json")
        elif self.path == "/sandbox/state":
            self._send(200, json.dumps(self.sandbox.state()).encode(), "application/json")
        else:
            self._send(404, b"Not Found", "text/plain")

    def do_POST(self) -> None:
        body = self._body()
        try:
            if self.path.startswith("/xmlrpc/2/"):
                self._xmlrpc(self.path.removeprefix("/xmlrpc/2/"), body)
            elif self.path == "/jsonrpc":
                self._jsonrpc(body)
            elif self.path.startswith("/json/2/"):
                self._json2(self.path.removeprefix("/json/2/"), body)
            elif self.path == "/sandbox/control":
                result = self.sandbox.control(json.loads(body or b"{}"))
                self._send(200, json.dumps(result).encode(), "application/json")
            else:
                self._send(404, b"Not Found", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # -- XML-RPC ----------------------------------------------------------------------------------

    def _xmlrpc(self, service: str, body: bytes) -> None:
        try:
            loaded: tuple[Any, ...]
            loaded, method = xmlrpc.client.loads(body)
            params: list[Any] = list(loaded)
            if service == "common":
                result = dispatch.common(self.sandbox.world, str(method), params)
            elif service == "object" and method in ("execute_kw", "execute"):
                db, uid, secret, model, odoo_method, *rest = params
                args = rest[0] if method == "execute_kw" and rest else list(rest)
                kwargs = rest[1] if method == "execute_kw" and len(rest) > 1 else {}

                def run() -> Any:
                    checked = dispatch.authorise(self.sandbox.world, db, uid, secret)
                    return dispatch.execute_kw(self.sandbox.world, checked, model, odoo_method, args, kwargs)

                result = self.sandbox.run_object_call(model, odoo_method, run)
                if result is _DROP:
                    return self._drop()
                if result is _DOWN:
                    return self._unavailable()
            else:
                raise dispatch.AttributeErrorFault(f"unknown XML-RPC method {service}.{method}")
        except Exception as exc:  # noqa: BLE001  (every failure becomes a fault, as Odoo's dispatcher does)
            return self._send(200, xmlrpc.client.dumps(_xml_fault(exc), methodresponse=True).encode(), "text/xml")
        try:
            reply = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=False)
        except TypeError as exc:
            # Odoo marshals the result after its transaction committed: the work is done, the reply lost.
            reply = xmlrpc.client.dumps(xmlrpc.client.Fault(1, _traceback(exc)), methodresponse=True)
        self._send(200, reply.encode(), "text/xml")

    # -- JSON-RPC ---------------------------------------------------------------------------------

    def _jsonrpc(self, body: bytes) -> None:
        request_id = None
        try:
            request = json.loads(body)
            request_id = request.get("id")
            params = request.get("params") or {}
            service, method, args = params.get("service"), params.get("method"), list(params.get("args") or [])
            if service == "common":
                result = dispatch.common(self.sandbox.world, str(method), args)
            elif service == "object" and method in ("execute_kw", "execute"):
                db, uid, secret, model, odoo_method, *rest = args
                call_args = rest[0] if method == "execute_kw" and rest else list(rest)
                kwargs = rest[1] if method == "execute_kw" and len(rest) > 1 else {}

                def run() -> Any:
                    checked = dispatch.authorise(self.sandbox.world, db, uid, secret)
                    return dispatch.execute_kw(self.sandbox.world, checked, model, odoo_method, call_args, kwargs)

                result = self.sandbox.run_object_call(model, odoo_method, run)
                if result is _DROP:
                    return self._drop()
                if result is _DOWN:
                    return self._unavailable()
            else:
                raise dispatch.AttributeErrorFault(f"unknown JSON-RPC method {service}.{method}")
        except Exception as exc:  # noqa: BLE001  (as above)
            message = getattr(exc, "message", str(exc))
            error = {"code": 200, "message": "Odoo Server Error",
                     "data": {"name": _odoo_name(exc), "debug": _traceback(exc), "message": message,
                              "arguments": [message], "context": {}}}
            reply: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "error": error}
            return self._send(200, json.dumps(reply).encode(), "application/json")
        reply = {"jsonrpc": "2.0", "id": request_id}
        if result is not None:  # Odoo leaves "result" out for None
            reply["result"] = result
        self._send(200, json.dumps(reply).encode(), "application/json")

    # -- /json/2 ----------------------------------------------------------------------------------

    def _json2(self, path: str, body: bytes) -> None:
        model, _, method = path.partition("/")
        auth = self.headers.get("Authorization") or ""
        key = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        world = self.sandbox.world
        uid = world.api_keys.get(key)
        db = self.headers.get("X-Odoo-Database") or world.db
        if uid is None or db != world.db:
            error = {"name": "werkzeug.exceptions.Unauthorized", "message": "Invalid apikey", "arguments": [],
                     "context": {}, "debug": ""}
            return self._send(401, json.dumps(error).encode(), "application/json")
        try:
            kwargs = json.loads(body or b"{}")

            def run() -> Any:
                return dispatch.execute_kw(world, uid, model, method, [], kwargs)

            result = self.sandbox.run_object_call(model, method, run)
            if result is _DROP:
                return self._drop()
            if result is _DOWN:
                return self._unavailable()
        except Exception as exc:  # noqa: BLE001  (as above)
            message = getattr(exc, "message", str(exc))
            status = (401 if isinstance(exc, AccessDeniedFault) else 403 if isinstance(exc, AccessErrorFault)
                      else 404 if isinstance(exc, MissingErrorFault) else 422 if isinstance(exc, UserErrorFault)
                      else 500)
            error = {"name": _odoo_name(exc), "message": message, "arguments": [message], "context": {},
                     "debug": _traceback(exc)}
            return self._send(status, json.dumps(error).encode(), "application/json")
        self._send(200, json.dumps(result).encode(), "application/json")


def _xml_fault(exc: BaseException) -> xmlrpc.client.Fault:
    """Odoo's ``/xmlrpc/2`` fault codes (odoo/addons/base/controllers/rpc.py)."""
    message = getattr(exc, "message", str(exc))
    if isinstance(exc, AccessDeniedFault):
        return xmlrpc.client.Fault(3, message)
    if isinstance(exc, AccessErrorFault):
        return xmlrpc.client.Fault(4, message)
    if isinstance(exc, UserErrorFault):
        return xmlrpc.client.Fault(2, message)
    return xmlrpc.client.Fault(1, _traceback(exc))
