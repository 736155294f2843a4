"""Uploading a document from the browser or the API: through intake like every other source."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ingest.intake import Envelope
from models.audit import append_audit
from models.db import transaction
from models.documents import Document
from review_ui.context import AppContext
from review_ui.deps import Actor
from review_ui.services.errors import InvalidInput
from review_ui.services.preconditions import require_actor


@dataclass(frozen=True)
class UploadOutcome:
    outcome: str  # stored | duplicate | refused
    document_id: int | None
    reason: str | None


def upload(ctx: AppContext, actor: Actor, data: bytes, filename: str | None) -> UploadOutcome:
    require_actor(actor)
    if len(data) > ctx.max_upload_bytes:
        raise InvalidInput(f"the file is larger than {ctx.max_upload_bytes // 1_000_000} MB", {"file": "too large"})
    envelope = Envelope(source="upload", filename=filename, source_ref=f"upload:{uuid.uuid4()}",
                        # Kept so the uploader cannot also approve what they uploaded.
                        meta={"uploaded_by": actor.user_id, "uploaded_by_name": actor.username})
    result = ctx.submit(data, envelope)
    outcome = str(getattr(result, "outcome", "stored"))
    document_id = getattr(result, "document_id", None)
    reason = getattr(result, "reason", None)
    with transaction(ctx.sessions) as db:
        site = _site_of_upload(db, actor, document_id if outcome == "stored" else None)
        append_audit(db, actor=actor.name, user_id=actor.user_id, action="upload",
                     document_id=document_id if isinstance(document_id, int) else None,
                     changes={"outcome": outcome, "size": len(data), **({"site": site} if site else {})},
                     reason=reason)
    return UploadOutcome(outcome, document_id if isinstance(document_id, int) else None,
                         str(reason) if reason else None)


def _site_of_upload(db: Session, actor: Actor, document_id: object) -> str | None:
    """A clinic's clerk (one site) uploads that clinic's paper: the new document starts at their site, so
    they can open what they uploaded; matching replaces it with the purchase order's site. Someone with
    several sites or the whole group leaves it unknown until matching (the central team sees it)."""
    sites = actor.scope.sites
    if not isinstance(document_id, int) or sites is None or len(sites) != 1:
        return None
    doc = db.get(Document, document_id)
    if doc is None or doc.site is not None:
        return None
    doc.site = next(iter(sites))
    return doc.site
