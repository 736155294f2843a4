"""CSRF: every state-changing request carries the session's token, in a form field or a header."""

from __future__ import annotations

import hmac

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def tokens_match(expected: str | None, presented: str | None) -> bool:
    if not expected or not presented:
        return False
    return hmac.compare_digest(expected.encode(), presented.encode())


def same_origin(origin: str | None, host_url: str) -> bool:
    """Browsers send Origin on cross-site POSTs; one that is present must be ours. (Absent: a non-browser
    client, which still needs the token.)"""
    if not origin or origin == "null":
        return origin is None
    return origin.rstrip("/") == host_url.rstrip("/")
