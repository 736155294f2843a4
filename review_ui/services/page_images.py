"""Page images for the viewer: rendered once per page and resolution, cached in the object store
under a key derived from the original's hash (so a re-upload of the same bytes reuses them)."""

from __future__ import annotations

from models.db import transaction
from models.documents import Document
from models.errors import ObjectNotFound, PayablesError
from review_ui.context import AppContext
from review_ui.services.errors import NotFound


class RenderingUnavailable(PayablesError):
    code = "rendering_unavailable"


# A fixed set: a caller cannot make the server render (and store) arbitrary resolutions.
RESOLUTIONS = (72, 110, 150, 220)
DEFAULT_DPI = 110


def image_key(sha256: str, page: int, dpi: int, rotation: int = 0) -> str:
    turned = f"-r{rotation}" if rotation else ""
    return f"derived/pages/{sha256[:2]}/{sha256}/p{page}-{dpi}{turned}.png"


def page_png(ctx: AppContext, document_id: int, page: int, dpi: int) -> bytes:
    if dpi not in RESOLUTIONS:
        dpi = min(RESOLUTIONS, key=lambda r: abs(r - dpi))
    with transaction(ctx.sessions) as db:
        doc = db.get(Document, document_id)
        if doc is None or doc.object_key is None:
            raise NotFound(f"document {document_id} has no stored original")
        count = doc.page_count or len(doc.pages)
        sha, key, media_type = doc.sha256, doc.object_key, doc.media_type
        # OCR read a turned page upright; draw it the same way so the word boxes land on their words.
        rotation = next((p.rotation for p in doc.pages if p.number == page), 0)
    if page < 1 or (count and page > count):
        raise NotFound(f"document {document_id} has no page {page}")
    cached = image_key(sha, page, dpi, rotation)
    try:
        return ctx.store.get(cached)
    except ObjectNotFound:
        pass
    try:
        from extraction.render import render_page
    except ImportError as exc:
        raise RenderingUnavailable("page images cannot be drawn: extraction.render is not installed") from exc
    try:
        png: bytes = render_page(ctx.store.get(key), media_type, page, dpi, rotate=rotation)
    except PayablesError as exc:
        raise NotFound(f"page {page} cannot be shown: {exc}") from exc
    ctx.store.put_at(cached, png, content_type="image/png", metadata={"document": str(document_id)})
    return png
