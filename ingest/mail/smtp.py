"""Receiving invoices over SMTP (aiosmtpd): the organisation's mail server relays the AP address here.

The message is handed to intake, which stores it before anything else, and only then does the
sender get ``250``. If storing fails the answer is ``451`` (try again later), so the sending server
keeps the message in its queue instead of it being lost; if the ``250`` itself is lost and the sender
delivers again, the identical bytes are recorded as a duplicate, not as a second document. Nothing is
relayed anywhere: this is a final destination, not a mail server.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import hashlib
import logging
import ssl
from collections.abc import Iterable
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Session
from aiosmtpd.smtp import Envelope as SmtpEnvelope

from ingest.filenames import safe_filename
from ingest.intake import Envelope
from ingest.mail.imap import TRANSIENT
from ingest.mail.mime import envelope_of
from ingest.received import SubmitFn

log = logging.getLogger("payables.mail.smtp")


class IntakeHandler:
    """aiosmtpd handler: accept mail for the AP addresses (or domains) given, store each message."""

    def __init__(self, submit: SubmitFn, *, accept: Iterable[str] = ()) -> None:
        self.submit = submit
        # "ap@clinic.example" accepts that address, "@clinic.example" or "clinic.example" the domain.
        self.accept = frozenset(a.strip().lower() for a in accept if a.strip())

    def accepts(self, address: str) -> bool:
        if not self.accept:
            return True
        address = address.strip().lower()
        domain = address.rsplit("@", 1)[-1]
        return address in self.accept or domain in self.accept or f"@{domain}" in self.accept

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: SmtpEnvelope, address: str,
                          rcpt_options: list[str]) -> str:
        if not self.accepts(address):
            return "550 5.1.1 Recipient not accepted: this server takes invoices for the AP address only"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: SmtpEnvelope) -> str:
        raw = envelope.original_content or envelope.content
        if not isinstance(raw, bytes):
            raw = str(raw or "").encode("utf-8", "surrogateescape")
        intake_envelope = self.envelope(raw, session, envelope)
        try:
            result = await asyncio.get_running_loop().run_in_executor(None, self.submit, raw, intake_envelope)
        except TRANSIENT as exc:
            log.warning("message from %s not stored, sender told to retry: %s", envelope.mail_from, exc)
            return "451 4.3.0 The message could not be stored just now; please try again later"
        except Exception:
            log.exception("message from %s could not be taken in", envelope.mail_from)
            return "451 4.3.0 The message could not be taken in; please try again later"
        log.info("message %s from %s: %s", intake_envelope.source_ref, envelope.mail_from, result.outcome)
        return f"250 2.0.0 OK: {result.outcome} as submission {result.submission_id}"

    @staticmethod
    def envelope(raw: bytes, session: Session, envelope: SmtpEnvelope) -> Envelope:
        headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
        mail = envelope_of(headers)
        meta: dict[str, Any] = {f"mail_{k}": v for k, v in mail.items()}
        peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer or "")
        meta.update({"smtp_peer": peer, "smtp_helo": session.host_name or "",
                     "smtp_mail_from": envelope.mail_from or "", "smtp_rcpt_to": list(envelope.rcpt_tos)})
        ref = f"smtp:{mail['message_id'] or 'sha256:' + hashlib.sha256(raw).hexdigest()}"
        name = safe_filename(mail["subject"], limit=80) or "message"
        return Envelope(source="email", filename=f"{name}.eml", source_ref=ref[:400], meta=meta)


def make_controller(submit: SubmitFn, *, host: str, port: int, max_bytes: int, accept: Iterable[str] = (),
                    tls_context: ssl.SSLContext | None = None, require_tls: bool = False) -> Controller:
    """A controller to ``start()`` and ``stop()``: the SMTP server runs in its own thread."""
    handler = IntakeHandler(submit, accept=accept)
    return Controller(handler, hostname=host, port=port, data_size_limit=max_bytes, tls_context=tls_context,
                      require_starttls=require_tls and tls_context is not None, ident="payables intake")
