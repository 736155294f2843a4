"""Polling the AP mailbox over IMAP: each new message is handed to intake whole, then marked and moved.

The order is the guarantee. A message is fetched with ``BODY.PEEK[]`` (reading it marks nothing), handed
to intake (which stores the raw ``.eml`` as evidence before unpacking its attachments, and records a
message without any as refused, not dropped), and only then flagged ``\\Seen`` + ``$PayablesStored`` and
moved to the processed folder. A crash anywhere in between leaves the message where it was, so the next
poll takes it again; its reference (RFC 5092 IMAP URL with UIDVALIDITY and UID) is then found on the
recorded submission and the message is only marked, not fetched a second time. When UIDVALIDITY
changes (the server rebuilt the folder), references no longer match: messages still in the folder are
fetched again and intake's content dedupe records them as duplicates of the documents they made.

Selection never relies on ``\\Seen``: clerks read the AP inbox in their mail clients too.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import imaplib
import logging
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ingest.filenames import safe_filename
from ingest.intake import Envelope, IntakeResult
from ingest.mail.mime import envelope_of
from ingest.received import SubmitFn, received_refs
from models.errors import ConfigurationError, StorageError, TransientError

log = logging.getLogger("payables.mail")

SECURITY = ("ssl", "starttls", "plain")
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
SEEN = b"\\Seen"
DELETED = b"\\Deleted"
STORED_FLAG = b"$PayablesStored"
REFUSED_FLAG = b"$PayablesRefused"
IDLE_MAX_S = 25 * 60  # RFC 2177: re-issue IDLE at least every 29 minutes or the server drops us
# Faults worth waiting out (network, server restarting, store or database briefly away).
TRANSIENT = (IMAPClientError, imaplib.IMAP4.error, OSError, TransientError, StorageError, OperationalError)


@dataclass(frozen=True)
class Mailbox:
    """One IMAP folder to take invoices from, and where processed messages go (None: flag only)."""

    host: str
    user: str
    password: str = field(repr=False)
    port: int = 993
    security: str = "ssl"
    folder: str = "INBOX"
    processed_folder: str | None = "Processed"
    timeout_s: float = 60.0
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.security not in SECURITY:
            raise ConfigurationError(f"PAYABLES_IMAP_SECURITY must be one of {', '.join(SECURITY)}, "
                                     f"not {self.security!r}")
        if self.security == "plain" and self.host not in LOOPBACK:
            raise ConfigurationError(f"IMAP without TLS sends the password in clear: allowed only to a server on "
                                     f"this machine, not to {self.host}; use ssl or starttls")
        if not self.host or not self.user or not self.password:
            raise ConfigurationError("the mailbox needs PAYABLES_IMAP_HOST, PAYABLES_IMAP_USER and "
                                     "PAYABLES_IMAP_PASSWORD (or PAYABLES_IMAP_PASSWORD_FILE)")
        if self.processed_folder is not None and self.processed_folder == self.folder:
            raise ConfigurationError("the processed folder must differ from the folder polled")

    @property
    def address(self) -> str:
        return f"imap://{quote(self.user, safe='')}@{self.host}:{self.port}/{quote(self.folder, safe='/')}"

    def ref(self, uidvalidity: int, uid: int) -> str:
        """RFC 5092 URL of one message: unique while the folder's UIDVALIDITY holds."""
        return f"{self.address};UIDVALIDITY={uidvalidity}/;UID={uid}"


@dataclass(frozen=True)
class Delivery:
    """What became of one message: intake's result, or None when an earlier poll had stored it."""

    uid: int
    ref: str
    result: IntakeResult | None

    @property
    def outcome(self) -> str:
        return self.result.outcome if self.result is not None else "already stored"


class MailPoller:
    """Takes the new messages of a mailbox into intake; ``poll`` once, or ``run`` until stopped."""

    def __init__(self, mailbox: Mailbox, submit: SubmitFn, sessions: sessionmaker[Session]) -> None:
        self.mailbox = mailbox
        self.submit = submit
        self.sessions = sessions
        self._client: IMAPClient | None = None
        self._uidvalidity: int | None = None
        self._keywords = False

    # -- the connection ---------------------------------------------------------------------------

    def connect(self) -> IMAPClient:
        if self._client is not None:
            return self._client
        mb = self.mailbox
        context = mb.ssl_context or ssl.create_default_context()
        try:
            client = IMAPClient(mb.host, port=mb.port, ssl=mb.security == "ssl", ssl_context=context,
                                timeout=mb.timeout_s)
            if mb.security == "starttls":
                client.starttls(context)
            client.login(mb.user, mb.password)
        except LoginError as exc:
            raise ConfigurationError(f"{mb.host} refused the login of {mb.user}: {_text(exc)}; check "
                                     "PAYABLES_IMAP_USER and PAYABLES_IMAP_PASSWORD(_FILE)") from exc
        except ssl.SSLCertVerificationError as exc:
            raise ConfigurationError(f"the certificate of {mb.host} is not trusted ({exc.verify_message}); "
                                     "install its CA or point SSL_CERT_FILE at it") from exc
        except (IMAPClientError, imaplib.IMAP4.error, OSError) as exc:
            raise TransientError(f"cannot reach the IMAP server {mb.host}:{mb.port} ({mb.security}): "
                                 f"{_text(exc)}") from exc
        if mb.processed_folder and not client.folder_exists(mb.processed_folder):
            with contextlib.suppress(IMAPClientError):  # another poller may have just made it
                client.create_folder(mb.processed_folder)
                client.subscribe_folder(mb.processed_folder)
        self._client = client
        return client

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                client.logout()

    def __enter__(self) -> MailPoller:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one poll ---------------------------------------------------------------------------------

    def poll(self) -> list[Delivery]:
        """Hand every message not yet taken to intake, oldest first; returns what became of each."""
        client = self.connect()
        uidvalidity, uids = self._select(client)
        refs = {uid: self.mailbox.ref(uidvalidity, uid) for uid in uids}
        done = received_refs(self.sessions, refs.values())
        # Stored by a poll that stopped before marking them: mark them now, take nothing again.
        recovered = [uid for uid in uids if refs[uid] in done]
        if recovered:
            log.info("%d message(s) in %s were stored before; marking them processed", len(recovered),
                     self.mailbox.address)
            self._finish(client, recovered, None)
        deliveries = [Delivery(uid, refs[uid], None) for uid in recovered]
        for uid in uids:
            if refs[uid] not in done:
                delivery = self._take(client, uid, uidvalidity, refs[uid])
                if delivery is not None:
                    deliveries.append(delivery)
        return sorted(deliveries, key=lambda d: d.uid)

    def _select(self, client: IMAPClient) -> tuple[int, list[int]]:
        info = client.select_folder(self.mailbox.folder)
        uidvalidity = int(info[b"UIDVALIDITY"])
        if self._uidvalidity is not None and uidvalidity != self._uidvalidity:
            log.warning("UIDVALIDITY of %s changed from %s to %s: the server renumbered the folder; messages "
                        "still in it are taken again and recorded as duplicates of what they made",
                        self.mailbox.address, self._uidvalidity, uidvalidity)
        self._uidvalidity = uidvalidity
        self._keywords = b"\\*" in (info.get(b"PERMANENTFLAGS") or ())
        criteria: list[str | bytes] = ["NOT", "DELETED"]
        if self._keywords:
            criteria += ["NOT", "KEYWORD", STORED_FLAG.decode()]
        return uidvalidity, sorted(int(u) for u in client.search(criteria))

    def _take(self, client: IMAPClient, uid: int, uidvalidity: int, ref: str) -> Delivery | None:
        fetched = client.fetch([uid], ["BODY.PEEK[]"]).get(uid)
        raw = fetched.get(b"BODY[]") if fetched else None
        if not isinstance(raw, bytes):
            log.info("message %s disappeared before it was fetched", ref)
            return None
        try:
            result = self.submit(raw, self._envelope(raw, uid, uidvalidity, ref))
        except TRANSIENT:
            raise  # the whole poll waits: the store or database is away, the next message would fail too
        except Exception:
            # A fault of ours on this one message must not hold up the rest of the mailbox. It stays
            # unmarked, so the next poll tries it again.
            log.exception("message %s could not be taken in; it stays in %s for the next poll", ref,
                          self.mailbox.folder)
            return None
        self._finish(client, [uid], result)
        log.info("message %s: %s (%d document(s) to process)", ref, result.outcome, len(result.to_process))
        return Delivery(uid, ref, result)

    def _envelope(self, raw: bytes, uid: int, uidvalidity: int, ref: str) -> Envelope:
        headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
        mail = envelope_of(headers)
        meta: dict[str, str | int] = {f"mail_{k}": v for k, v in mail.items()}
        meta.update({"imap_mailbox": self.mailbox.address, "imap_uidvalidity": uidvalidity, "imap_uid": uid})
        name = safe_filename(mail["subject"], limit=80) or f"message-{uid}"
        return Envelope(source="email", filename=f"{name}.eml", source_ref=ref, meta=meta)

    def _finish(self, client: IMAPClient, uids: list[int], result: IntakeResult | None) -> None:
        flags = [SEEN]
        if self._keywords:
            flags.append(STORED_FLAG)
            if result is not None and result.outcome == "refused":
                flags.append(REFUSED_FLAG)
        client.add_flags(uids, flags, silent=True)
        target = self.mailbox.processed_folder
        if not target:
            return
        if client.has_capability("MOVE"):
            client.move(uids, target)
            return
        client.copy(uids, target)
        client.add_flags(uids, [DELETED], silent=True)
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)
        else:  # without UIDPLUS, EXPUNGE also removes what others flagged \Deleted in this folder
            client.expunge()

    # -- running until stopped --------------------------------------------------------------------

    def wait(self, timeout_s: float, stop: threading.Event) -> None:
        """Until the server announces a change, ``timeout_s`` pass or ``stop`` is set (IMAP IDLE where
        offered, a plain wait otherwise)."""
        client = self.connect()
        if not client.has_capability("IDLE"):
            stop.wait(timeout_s)
            return
        deadline = time.monotonic() + min(timeout_s, IDLE_MAX_S)
        client.idle()
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                if client.idle_check(timeout=1.0):
                    return
        finally:
            client.idle_done()

    def run(self, stop: threading.Event, *, interval_s: float = 60.0,
            on_delivery: Callable[[Delivery], None] | None = None) -> None:
        """Poll, wait for news, poll again, until ``stop``; faults are logged and waited out."""
        backoff = 1.0
        while not stop.is_set():
            try:
                for delivery in self.poll():
                    if on_delivery is not None:
                        on_delivery(delivery)
                backoff = 1.0
                self.wait(interval_s, stop)
            except (*TRANSIENT, ConfigurationError) as exc:
                level = logging.ERROR if isinstance(exc, ConfigurationError) else logging.WARNING
                log.log(level, "mail poll of %s failed, retrying in %.0f s: %s", self.mailbox.address,
                        backoff, exc)
                self.close()
                stop.wait(backoff)
                backoff = min(backoff * 2, 300.0)
        self.close()


def _text(exc: BaseException) -> str:
    text = str(exc)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text or type(exc).__name__
