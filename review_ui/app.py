"""The app factory: routes, the guard on every one of them, error pages, headers, static files."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from models.errors import NotAuthorised, PayablesError, StateConflict
from review_ui.auth.sessions import CookieSigner
from review_ui.auth.throttle import LoginThrottle
from review_ui.context import AppContext
from review_ui.deps import GuardError, authorised, is_api, visitor
from review_ui.headers import SecurityHeaders
from review_ui.limits import BodyLimit
from review_ui.policy import POLICY
from review_ui.rendering import make_templates, page
from review_ui.routes import admin, api, auth, documents, queue, reports
from review_ui.services.errors import InvalidInput, NotFound
from review_ui.services.page_images import RenderingUnavailable
from review_ui.timing import ServerTiming

log = logging.getLogger("payables.review_ui")
STATIC = Path(__file__).with_name("static")
_DOC_ACTION = re.compile(r"^/documents/(\d+)/")
STATUS: dict[type[PayablesError], int] = {NotAuthorised: 403, StateConflict: 409, InvalidInput: 422, NotFound: 404,
                                         RenderingUnavailable: 503}


def create_app(ctx: AppContext) -> FastAPI:
    app = FastAPI(title="payables review", version="1", openapi_url=None, docs_url=None, redoc_url=None,
                  description="The review queue's actions over JSON. Sign in at /login; send the session's "
                              "CSRF token (GET /api/v1/me) as X-CSRF-Token on every state-changing call.")
    app.state.ctx = ctx
    app.state.signer = CookieSigner(ctx.secret, ctx.session_lifetime)
    app.state.templates = make_templates()
    app.state.throttle = LoginThrottle()
    for router in (auth.router, queue.router, documents.router, reports.router, admin.router, api.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    check_routes(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    _handlers(app)
    app.add_middleware(SecurityHeaders, hsts=ctx.secure_cookies)
    app.add_middleware(BodyLimit, max_bytes=ctx.max_upload_bytes + 1_000_000)
    app.add_middleware(ServerTiming)
    return app


@dataclass(frozen=True)
class RouteInfo:
    route: APIRoute
    path: str  # as served (with any prefix), in path-format: /documents/{document_id}
    methods: frozenset[str]

    @property
    def name(self) -> str:
        return self.route.name


def api_routes(app: FastAPI) -> list[RouteInfo]:
    """Every APIRoute the app serves (newer FastAPI keeps included routers lazily, so ``app.routes``
    alone does not list them)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return [RouteInfo(r, r.path_format, frozenset(r.methods or ())) for r in app.routes
                if isinstance(r, APIRoute)]
    out = []
    for c in iter_route_contexts(app.routes):
        route = c.original_route
        if isinstance(route, APIRoute):
            out.append(RouteInfo(route, c.path_format or route.path_format,
                                 frozenset(c.methods or route.methods or ())))
    return out


def check_routes(app: FastAPI) -> None:
    """Refuse to build an app with a route the policy does not cover or the guard does not protect."""
    routes = api_routes(app)
    if not routes:
        raise LookupError("the app lists no routes: the policy check would be vacuous")
    for info in routes:
        route = info.route
        if route.name not in POLICY:
            raise LookupError(f"route {route.name!r} ({route.path}) has no policy in review_ui.policy.POLICY")
        calls = {d.call for d in route.dependant.dependencies}
        rule = POLICY[route.name]
        guard = visitor if rule.public else authorised
        if guard not in calls:
            raise LookupError(f"route {route.name!r} ({route.path}) does not depend on {guard.__name__}")


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=[i.route for i in api_routes(app) if i.path.startswith("/api/")])
        schema.setdefault("components", {})["securitySchemes"] = {
            "session": {"type": "apiKey", "in": "cookie", "name": "payables_session"},
            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
        }
        schema["security"] = [{"session": [], "csrf": []}]
        app.openapi_schema = schema
    return app.openapi_schema


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(GuardError)
    async def guard_error(request: Request, exc: GuardError) -> Response:
        if exc.status == 401 and not is_api(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target if request.method == 'GET' else '/queue')}",
                                    status_code=303)
        response = _error(request, exc.status, exc.detail)
        # Tells a refusal by the policy table or the guard apart from one by a duty rule (monitoring, tests).
        response.headers["X-Denied-By"] = "guard"
        return response

    @app.exception_handler(PayablesError)
    async def payables_error(request: Request, exc: PayablesError) -> Response:
        status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)
        fields = exc.fields if isinstance(exc, InvalidInput) else {}
        if not is_api(request) and request.method == "POST" and getattr(request.state, "actor", None):
            m = _DOC_ACTION.match(request.url.path)
            if m and status != 404:
                return await run_in_threadpool(documents.screen_response, request, request.app.state.ctx,
                                               request.state.actor, int(m.group(1)), error=exc.message,
                                               fields=fields, status=status)
        return _error(request, status, exc.message, fields)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = {".".join(str(p) for p in e.get("loc", ())[1:]) or "body": str(e.get("msg"))
                    for e in exc.errors()}
        return _error(request, 422, "Some of what was sent is not valid.", problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail) if exc.status_code != 404 else "Not found.")


def _error(request: Request, status: int, message: str, fields: dict[str, str] | None = None) -> Response:
    if is_api(request):
        return JSONResponse({"detail": message, "fields": fields or {}}, status_code=status)
    return page(request, "error.html", {"status": status, "message": message, "fields": fields or {}},
                status_code=status)
