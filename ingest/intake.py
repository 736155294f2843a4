"""Intake: hash, store the original first, dedupe, register, and report what became of each file.

Every file that arrives gets a submission row, whatever happens to it: ``stored`` (a new document),
``duplicate`` (the same bytes were stored before; recorded against that document) or ``refused`` (with
the reason). Nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ingest.containers import unpack
from ingest.filenames import safe_filename
from ingest.sniff import ACCEPTED, CONTAINERS, sniff
from ingest.storage import ObjectStore
from models.audit import append_audit
from models.db import transaction
from models.documents import Document, Submission
from models.errors import InputRefused
from models.states import DocumentState

MAX_NESTING = 3
MAX_REF = 500  # Submission.source_ref's column size


@dataclass(frozen=True)
class Envelope:
    """Where a file came from: ``source`` is email, upload, folder, bucket, api or cli."""

    source: str
    filename: str | None = None
    source_ref: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class IntakeResult:
    outcome: str  # stored | duplicate | refused
    document_id: int | None
    submission_id: int
    sha256: str
    media_type: str | None = None
    reason: str | None = None
    filename: str | None = None
    children: list[IntakeResult] = field(default_factory=list)

    @property
    def to_process(self) -> list[int]:
        """Stored documents (this one or those unpacked from it) that the pipeline should extract."""
        if self.outcome == "stored" and not self.children and self.media_type not in CONTAINERS:
            return [self.document_id] if self.document_id is not None else []
        return [doc for child in self.children for doc in child.to_process]

    def flatten(self) -> list[IntakeResult]:
        return [self, *(r for child in self.children for r in child.flatten())]


@dataclass(frozen=True)
class IntakeLimits:
    max_bytes: int = 50 * 1024 * 1024


class Intake:
    def __init__(self, sessions: sessionmaker[Session], store: ObjectStore,
                 limits: IntakeLimits | None = None) -> None:
        self.sessions = sessions
        self.store = store
        self.limits = limits or IntakeLimits()

    def register(self, data: bytes, envelope: Envelope, *, _depth: int = 0,
                 _parent: int | None = None) -> IntakeResult:
        filename = safe_filename(envelope.filename)
        meta = dict(envelope.meta)
        if envelope.filename and filename != envelope.filename:
            meta["original_filename"] = repr(envelope.filename)[:300]
        digest = hashlib.sha256(data).hexdigest()
        if not data:
            return self._refuse_unstored(digest, 0, filename, envelope, meta, "empty_file",
                                         "the file is empty (0 bytes)")
        if len(data) > self.limits.max_bytes:
            return self._refuse_unstored(
                digest, len(data), filename, envelope, meta, "file_too_large",
                f"the file is {len(data) / 1e6:.1f} MB; the limit is {self.limits.max_bytes / 1e6:.0f} MB")

        with transaction(self.sessions) as s:
            existing = s.execute(select(Document.id, Document.media_type, Document.state)
                                 .where(Document.sha256 == digest)).first()
            if existing is not None:
                result = self._duplicate(s, existing.id, digest, len(data), filename, envelope, meta)
        if existing is not None:
            if existing.media_type in CONTAINERS and existing.state == DocumentState.STORED.value:
                # The first delivery stored the container but died before unpacking it; the members
                # dedupe by content, so unpacking again finishes the job without a second copy.
                result.media_type = existing.media_type
                self._unpack(result, data, envelope, _depth, resume=True)
            return result

        kind = sniff(data)
        # The original is stored before anything else looks at it, refused or not: it is the evidence.
        info = self.store.put(data, content_type=kind.media_type or "application/octet-stream",
                              metadata={"source": envelope.source})
        refusal: str | None = None
        if kind.media_type not in ACCEPTED:
            refusal = f"{kind.description} is not an accepted invoice format (PDF, image, XML, e-mail, ZIP)"
        state = DocumentState.REFUSED if refusal else DocumentState.STORED
        try:
            with transaction(self.sessions) as s:
                doc = Document(sha256=digest, size=len(data), media_type=kind.media_type or "unknown",
                               object_key=info.key, filename=filename, source=envelope.source,
                               envelope=meta, state=state.value, parent_id=_parent)
                if refusal:
                    doc.failure_code, doc.failure_reason = "unsupported_type", refusal
                s.add(doc)
                s.flush()
                sub = Submission(document_id=doc.id, sha256=digest, size=len(data), filename=filename,
                                 source=envelope.source, source_ref=_ref(envelope), envelope=meta,
                                 outcome="refused" if refusal else "stored", reason=refusal)
                s.add(sub)
                s.flush()
                append_audit(s, actor=f"system:intake:{envelope.source}", action="received",
                             document_id=doc.id, from_state=DocumentState.RECEIVED.value,
                             to_state=state.value, reason=refusal,
                             changes={"sha256": digest, "size": len(data), "media_type": kind.media_type,
                                      "filename": filename})
                doc_id, sub_id = doc.id, sub.id
        except IntegrityError:
            # Another worker stored the same bytes a moment ago: this is its duplicate.
            with transaction(self.sessions) as s:
                first = s.execute(select(Document.id).where(Document.sha256 == digest)).scalar_one()
                return self._duplicate(s, first, digest, len(data), filename, envelope, meta)

        result = IntakeResult("refused" if refusal else "stored", doc_id, sub_id, digest,
                              kind.media_type, refusal, filename)
        if not refusal and kind.media_type in CONTAINERS:
            self._unpack(result, data, envelope, _depth)
        return result

    def _unpack(self, result: IntakeResult, data: bytes, envelope: Envelope, depth: int,
                resume: bool = False) -> None:
        assert result.media_type is not None and result.document_id is not None
        try:
            if depth >= MAX_NESTING:
                raise InputRefused(f"containers nested more than {MAX_NESTING} deep", code="nesting_too_deep")
            unpacked = unpack(result.media_type, data, max_total_bytes=self.limits.max_bytes * 4)
        except InputRefused as exc:
            self._settle_container(result, DocumentState.REFUSED, exc.code, exc.message, {}, resume)
            return
        for member in unpacked.members:
            child_env = Envelope(
                source=envelope.source, filename=member.filename,
                source_ref=f"{envelope.source_ref or result.sha256}#{member.filename}"[:MAX_REF],
                meta={**envelope.meta, **unpacked.envelope, **member.meta, "container_id": result.document_id},
            )
            result.children.append(self.register(member.data, child_env, _depth=depth + 1,
                                                 _parent=result.document_id))
        detail = {"members": len(unpacked.members), "skipped": unpacked.skipped, **unpacked.envelope}
        if unpacked.members:
            self._settle_container(result, DocumentState.SPLIT, None,
                                   f"unpacked into {len(unpacked.members)} file(s)", detail, resume)
        else:
            why = "no invoice-like attachment or file inside"
            if unpacked.skipped:
                why += " (skipped: " + "; ".join(unpacked.skipped[:5]) + ")"
            self._settle_container(result, DocumentState.REFUSED, "no_attachment", why, detail, resume)

    def _settle_container(self, result: IntakeResult, state: DocumentState, code: str | None,
                          reason: str, detail: dict[str, Any], resume: bool = False) -> None:
        with transaction(self.sessions) as s:
            doc = s.get(Document, result.document_id)
            assert doc is not None
            previous = doc.state
            if previous != DocumentState.STORED.value:
                return  # another delivery finished the unpacking first
            doc.state = state.value
            doc.envelope = {**doc.envelope, **{k: v for k, v in detail.items() if k != "members"},
                            "unpacked_members": detail.get("members", 0)}
            if state is DocumentState.REFUSED:
                doc.failure_code, doc.failure_reason = code, reason
                if not resume:
                    result.outcome, result.reason = "refused", reason
                sub = s.get(Submission, result.submission_id)
                if sub is not None:
                    sub.outcome, sub.reason = "refused", reason
            append_audit(s, actor="system:intake", action="unpacked", document_id=doc.id,
                         from_state=previous, to_state=state.value, reason=reason,
                         changes={"members": detail.get("members", 0)})

    def _duplicate(self, s: Session, document_id: int, digest: str, size: int, filename: str | None,
                   envelope: Envelope, meta: dict[str, Any]) -> IntakeResult:
        reason = f"the same file (sha256 {digest[:12]}…) was received before as document {document_id}"
        sub = Submission(document_id=document_id, sha256=digest, size=size, filename=filename,
                         source=envelope.source, source_ref=_ref(envelope), envelope=meta,
                         outcome="duplicate", reason=reason)
        s.add(sub)
        s.flush()
        append_audit(s, actor=f"system:intake:{envelope.source}", action="duplicate_submission",
                     document_id=document_id, reason=reason, changes={"submission_id": sub.id})
        return IntakeResult("duplicate", document_id, sub.id, digest, None, reason, filename)

    def _refuse_unstored(self, digest: str, size: int, filename: str | None, envelope: Envelope,
                         meta: dict[str, Any], code: str, reason: str) -> IntakeResult:
        """Empty or oversized: nothing worth keeping, but the submission and the reason are recorded."""
        with transaction(self.sessions) as s:
            sub = Submission(document_id=None, sha256=digest, size=size, filename=filename,
                             source=envelope.source, source_ref=_ref(envelope),
                             envelope={**meta, "code": code}, outcome="refused", reason=reason)
            s.add(sub)
            s.flush()
            append_audit(s, actor=f"system:intake:{envelope.source}", action="refused",
                         reason=reason, changes={"submission_id": sub.id, "code": code,
                                                 "filename": filename, "size": size})
            return IntakeResult("refused", None, sub.id, digest, None, reason, filename)


def _ref(envelope: Envelope) -> str | None:
    return envelope.source_ref[:MAX_REF] if envelope.source_ref else None
