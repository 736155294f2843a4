"""Finding the invoices in an e-mail message.

Takes every part that is an invoice format by its bytes (PDF, image, XML e-invoice, ZIP), whatever the
sender declared: attachments and inline-disposition PDFs alike, file names in RFC 2231 or encoded-word
form, and the attachments of forwarded messages (``message/rfc822``, also when base64-encoded or sent
as an ``.eml`` file), with the forwarded message's sender kept, since that is the vendor. Message bodies,
signature logos, social icons and other small images are not invoices; each skipped attachment is
listed so the record says why it was not taken. A message whose MIME structure is broken and yields
nothing is refused with the defect named, rather than passing as "no attachment".
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import io
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.utils import parseaddr

from ingest.containers import Member, Unpacked
from ingest.sniff import ACCEPTED, EML, EXTENSIONS, JPEG, PNG, TIFF, XML, sniff
from models.errors import InputRefused

MAX_PARTS = 500
MAX_NAME = 240
MAX_DEPTH = 5  # forwarded messages inside forwarded messages
MAX_MULTIPART_DEPTH = 40  # nested multiparts within one message
# Signature logos, social icons, tracking pixels and banners are small in pixels; a scan or a phone
# photo of an invoice is not (an A4 page at a mere 100 dpi is 827 x 1169). Bytes alone would mislead:
# a sparse bilevel scan compresses to a few kilobytes.
MIN_IMAGE_SIDE_PX = 300
MIN_IMAGE_AREA_PX = 250_000
TINY_IMAGE_BYTES = 2048
_IMAGES = frozenset({PNG, JPEG, TIFF})
_BODY_TEXT = frozenset({"plain", "html", "enriched", "richtext", "calendar", "x-vcard", "vcard"})
_HTML = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
# Defects after which the parts found cannot be trusted to be the parts sent.
_FATAL_DEFECTS = frozenset({"NoBoundaryInMultipartDefect", "StartBoundaryNotFoundDefect",
                            "MultipartInvariantViolationDefect", "MissingHeaderBodySeparatorDefect"})
_NOTED_DEFECTS = _FATAL_DEFECTS | {"CloseBoundaryNotFoundDefect", "InvalidBase64PaddingDefect",
                                   "InvalidBase64CharactersDefect", "InvalidBase64LengthDefect",
                                   "FirstHeaderLineIsContinuationDefect"}


def parse_message(raw: bytes) -> EmailMessage:
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:  # the email package raises many types on hostile input
        raise InputRefused(f"the e-mail message cannot be parsed: {exc}", code="mime_malformed") from exc
    assert isinstance(msg, EmailMessage)
    if not msg.keys():
        raise InputRefused("the file has no e-mail headers, so it is not an e-mail message",
                           code="mime_malformed")
    return msg


def envelope_of(msg: Message) -> dict[str, str]:
    """Sender, subject, message-id and date: what a clerk needs to trace the message in the inbox."""
    sender = parseaddr(_header(msg, "From"))[1].lower()
    return {
        "from": sender,
        "from_domain": sender.rsplit("@", 1)[-1] if "@" in sender else "",
        "subject": _header(msg, "Subject"),
        "message_id": _header(msg, "Message-ID"),
        "date": _header(msg, "Date"),
        "to": _header(msg, "To"),
    }


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # noqa: BLE001  (malformed header values raise anything under the modern policy)
        return ""
    return " ".join(str(value or "").split())[:500]


def unpack_message(raw: bytes, *, max_total_bytes: int) -> Unpacked:
    """The invoice-like files in a message, what was skipped and why, and the message's envelope."""
    msg = parse_message(raw)
    out = Unpacked(envelope={f"mail_{k}": v for k, v in envelope_of(msg).items()})
    try:
        defects = _collect(msg, out, max_total_bytes)
    except InputRefused:
        raise
    except RecursionError as exc:
        raise InputRefused("the message's MIME parts are nested too deeply to read", code="mime_too_deep") from exc
    except Exception as exc:  # hostile MIME trips the email package in many ways
        raise InputRefused(f"the message's MIME structure cannot be read ({type(exc).__name__}: {exc})",
                           code="mime_malformed") from exc
    if defects:
        out.envelope["mail_defects"] = ", ".join(sorted(defects))
        if not out.members and defects & _FATAL_DEFECTS:
            raise InputRefused("the message's MIME structure is broken (" + ", ".join(sorted(defects))
                               + "), so its attachments cannot be found; ask the sender to send it again",
                               code="mime_malformed")
    return out


@dataclass(frozen=True)
class _Leaf:
    part: Message
    index: int
    forwarded: Message | None  # the innermost forwarded message this part belongs to


def _collect(msg: Message, out: Unpacked, max_total_bytes: int) -> set[str]:
    defects: set[str] = set()
    total = 0
    for leaf in _leaves(msg, defects):
        member = _member(leaf, out.skipped)
        if member is None:
            continue
        total += len(member.data)
        if total > max_total_bytes:
            raise InputRefused(f"the message's attachments add up to more than {max_total_bytes:,} bytes",
                               code="mime_too_large")
        out.members.append(member)
    return defects


def _leaves(msg: Message, defects: set[str]) -> Iterator[_Leaf]:
    counter = iter(range(1, 1 << 30))
    stack: list[tuple[Message, int, int, Message | None]] = [(msg, 0, 0, None)]
    while stack:
        part, depth, nesting, forwarded = stack.pop()
        index = next(counter)
        if index > MAX_PARTS:
            raise InputRefused(f"the message has more than {MAX_PARTS} MIME parts", code="mime_too_many_parts")
        if nesting > MAX_MULTIPART_DEPTH:
            raise InputRefused("the message's MIME parts are nested too deeply to read", code="mime_too_deep")
        defects.update(type(d).__name__ for d in part.defects if type(d).__name__ in _NOTED_DEFECTS)
        inner = _forwarded_message(part)
        if inner is not None:
            if depth + 1 > MAX_DEPTH:
                raise InputRefused(f"messages forwarded inside each other more than {MAX_DEPTH} deep",
                                   code="mime_too_deep")
            stack.append((inner, depth + 1, nesting + 1, inner))
        elif part.is_multipart():
            children = [p for p in part.get_payload() if isinstance(p, Message)]  # type: ignore[union-attr]
            stack.extend((child, depth, nesting + 1, forwarded) for child in reversed(children))
        else:
            yield _Leaf(part, index, forwarded)


def _forwarded_message(part: Message) -> Message | None:
    """The message inside a ``message/rfc822`` part (or an attached ``.eml``), else None."""
    if part.get_content_type() != "message/rfc822":
        return None
    cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else payload
    if not isinstance(inner, Message):
        return None
    if cte in ("base64", "quoted-printable"):
        # RFC 2046 forbids encoding message/rfc822, but some clients do; the parser then reads the
        # encoded text as a headerless message, so decode it and parse the real one.
        body = inner.as_bytes().lstrip(b"\r\n")
        try:
            raw = (base64.b64decode(re.sub(rb"[^A-Za-z0-9+/=]", b"", body)) if cte == "base64"
                   else quopri.decodestring(body))
        except (binascii.Error, ValueError):
            return inner
        return email.message_from_bytes(raw, policy=email.policy.default)
    return inner


def _member(leaf: _Leaf, skipped: list[str]) -> Member | None:
    part = leaf.part
    name = _filename(part)
    disposition = (part.get_content_disposition() or "").lower()
    ctype = part.get_content_type()
    named = bool(name) or disposition == "attachment"
    label = name or f"part {leaf.index} ({ctype})"
    if part.get_content_maintype() == "text" and part.get_content_subtype() in _BODY_TEXT and not named:
        return None  # the message's own text
    if ctype in ("application/pkcs7-mime", "application/x-pkcs7-mime", "application/pgp-encrypted"):
        skipped.append(f"{label}: encrypted (S/MIME or PGP) and cannot be read; ask for an unencrypted copy")
        return None
    if ctype == "application/ms-tnef" or (name or "").lower() == "winmail.dat":
        skipped.append(f"{label}: Outlook rich-text wrapper (winmail.dat); ask the sender to send the "
                       "invoice as a normal attachment")
        return None
    if part.get_content_maintype() == "message":
        if named:
            skipped.append(f"{label}: a {ctype} part, not an invoice")
        return None
    try:
        payload = part.get_payload(decode=True)
    except Exception as exc:  # noqa: BLE001  (broken transfer encodings raise anything)
        skipped.append(f"{label}: cannot be decoded ({exc})")
        return None
    if not isinstance(payload, bytes) or not payload:
        if named:
            skipped.append(f"{label}: empty")
        return None
    sniffed = sniff(payload)
    kind = sniffed.media_type
    if kind == EML:
        # An attached .eml sent as application/octet-stream: leave it whole to intake, which unpacks it.
        kind = None if not named else EML
    if kind == XML and _HTML.match(payload[:4096]):
        kind = None
    if kind not in ACCEPTED:
        if named:
            skipped.append(f"{label}: {sniffed.description}, not an invoice format")
        return None
    if kind in _IMAGES:
        why = _too_small(payload)
        if why:
            skipped.append(f"{label}: {why} (a logo or icon, not an invoice)")
            return None
    meta = {"mail_part": str(leaf.index), "mail_content_type": ctype}
    if disposition:
        meta["mail_disposition"] = disposition
    if leaf.forwarded is not None:
        meta.update({f"forwarded_{k}": v for k, v in envelope_of(leaf.forwarded).items() if v})
    if not name:
        name = f"attachment-{leaf.index}{EXTENSIONS.get(kind or '', '')}"
        meta["filename_made_up"] = "yes"
    return Member(name, payload, meta)


def _too_small(data: bytes) -> str | None:
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
    except Exception:  # noqa: BLE001  (unreadable here; the read stage will say why, with the evidence kept)
        return f"a {len(data)}-byte image" if len(data) < TINY_IMAGE_BYTES else None
    if min(width, height) < MIN_IMAGE_SIDE_PX or width * height < MIN_IMAGE_AREA_PX:
        return f"a {width}x{height} px image"
    return None


def _filename(part: Message) -> str | None:
    """The attachment's name: Content-Disposition ``filename`` (RFC 2231 or encoded words), else the
    Content-Type ``name``, which older mailers use alone."""
    for param, header in (("filename", "content-disposition"), ("name", "content-type")):
        try:
            value = part.get_param(param, header=header)
        except Exception:  # noqa: BLE001  (a broken RFC 2231 parameter raises from deep in the parser)
            continue
        if isinstance(value, tuple):  # RFC 2231 (charset, language, text) under the legacy API
            value = email.utils.collapse_rfc2231_value(value)
        if isinstance(value, str) and value.strip():
            name = " ".join(value.split())
            # Bounded so the name, and the source reference intake derives from it, fit their columns.
            return name if len(name) <= MAX_NAME else name[: MAX_NAME - 41] + "…" + name[-40:]
    return None
