"""The original file as received, for download: always as an attachment, with a type that cannot run."""

from __future__ import annotations

from models.db import transaction
from models.documents import Document
from review_ui.context import AppContext
from review_ui.services.errors import NotFound

# Shown inline by no browser here (we send attachment), and inert if a browser did anyway.
SAFE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/tiff", "image/gif", "image/webp"})


def original_file(ctx: AppContext, document_id: int) -> tuple[bytes, str, str]:
    with transaction(ctx.sessions) as db:
        doc = db.get(Document, document_id)
        if doc is None or doc.object_key is None:
            raise NotFound(f"document {document_id} has no stored original")
        key, media_type, filename = doc.object_key, doc.media_type, doc.filename
    data = ctx.store.get(key)
    safe_type = media_type if media_type in SAFE_TYPES else "application/octet-stream"
    return data, download_name(filename, document_id, media_type), safe_type


def download_name(filename: str | None, document_id: int, media_type: str) -> str:
    """ASCII letters, digits, dot, dash, underscore only: nothing that can break the header."""
    base = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in (filename or ""))
    base = base.strip("._")[:120]
    if not base:
        ext = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(media_type, ".bin")
        base = f"document-{document_id}{ext}"
    return base
