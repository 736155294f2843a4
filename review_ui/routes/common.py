"""What the routes share: redirects that cannot leave the site, cookies, the acting actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from review_ui.auth.sessions import SESSION_COOKIE
from review_ui.context import AppContext
from review_ui.deps import Actor, app_context, authorised, signer

CurrentActor = Annotated[Actor, Depends(authorised)]
Ctx = Annotated[AppContext, Depends(app_context)]

# Messages a redirect may ask the next page to show: keys only, so no text is reflected from the URL.
DONE = {
    "approved": "Approved. The bill is queued for posting to Odoo.",
    "rejected": "Rejected.",
    "released": "Hold released.",
    "corrected": "Correction saved as a new version.",
    "rematch": "Matching runs again; the page updates when it is done.",
    "escalated": "Sent to the managers' approvals inbox.",
    "handed_off": "Sent for approval by someone else.",
    "info_requested": "Marked as waiting for information.",
    "info_received": "Information received; back in the queue.",
    "claimed": "Assigned to you.",
    "unassigned": "Given back to the queue.",
    "assigned": "Assigned.",
    "retried": "Sent back to the stage that failed.",
    "posting_retried": "Posting queued again.",
    "split": "Split into new documents.",
    "merged": "Merged into a new document.",
    "uploaded": "Uploaded.",
    "view_saved": "View saved.",
    "view_deleted": "View deleted.",
    "password": "Password changed; your other sessions have ended.",
    "role_change": "Role change requested; another admin must approve it.",
    "role_decided": "Role change decided.",
    "user_updated": "User updated.",
    "sites": "Sites changed; items the user can no longer see went back to the queue.",
    "sites_unknown": "Sites changed. One of the codes is not a site the system knows yet: check its spelling.",
    "queue_empty": "Nothing left in the queue for you. Well done.",
}


def safe_next(target: str | None, default: str = "/queue") -> str:
    """Only paths on this site: ``//evil.example``, ``https://…`` and ``/\t/evil.example`` (browsers drop
    tabs and newlines, leaving ``//``) fall back to the default."""
    if not target or not target.startswith("/") or "\\" in target or len(target) > 500:
        return default
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return default
    if target.startswith("//"):
        return default
    return target


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def set_session_cookie(request: Request, response: RedirectResponse, token: str) -> None:
    ctx = app_context(request)
    response.set_cookie(SESSION_COOKIE, signer(request).sign_session(token), httponly=True, samesite="lax",
                        secure=ctx.secure_cookies, path="/",
                        max_age=int(ctx.session_lifetime.total_seconds()))


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
