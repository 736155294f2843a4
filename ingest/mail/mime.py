"""Finding the invoices in an e-mail message.

Takes every attachment that is an invoice format by its bytes (PDF, image, XML e-invoice, ZIP),
including inline-disposition PDFs, RFC 2231 and encoded-word file names, and the attachments of
forwarded messages (``message/rfc822``). Signature logos and other small images are skipped, and
each skip is listed so the record says why a part was not taken.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage, Message
from email.utils import parseaddr

from ingest.containers import Member, Unpacked
from ingest.sniff import ACCEPTED, EML, JPEG, PNG, TIFF, sniff
from models.errors import InputRefused

SMALL_IMAGE_BYTES = 20 * 1024  # logos and social icons in signatures are smaller than any scan
MAX_PARTS = 500
MAX_DEPTH = 5


def parse_message(raw: bytes) -> EmailMessage:
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:  # the email package raises many types on hostile input
        raise InputRefused(f"the e-mail message cannot be parsed: {exc}", code="mime_malformed") from exc
    assert isinstance(msg, EmailMessage)
    return msg


def envelope_of(msg: Message) -> dict[str, str]:
    def header(name: str) -> str:
        try:
            value = msg.get(name)
        except Exception:  # noqa: BLE001  (malformed header values raise anything under the modern policy)
            return ""
        return str(value or "").strip()[:500]

    sender = parseaddr(header("From"))[1].lower()
    return {
        "from": sender,
        "from_domain": sender.rsplit("@", 1)[-1] if "@" in sender else "",
        "subject": header("Subject"),
        "message_id": header("Message-ID"),
        "date": header("Date"),
        "to": header("To"),
    }


def unpack_message(raw: bytes, *, max_total_bytes: int) -> Unpacked:
    msg = parse_message(raw)
    out = Unpacked(envelope={f"mail_{k}": v for k, v in envelope_of(msg).items()})
    total = 0
    for index, (part, depth) in enumerate(_walk(msg, 0)):
        if index > MAX_PARTS:
            raise InputRefused(f"the message has more than {MAX_PARTS} parts", code="mime_too_many_parts")
        if part.is_multipart() or part.get_content_maintype() == "message":
            continue
        name = _filename(part)
        try:
            payload = part.get_payload(decode=True)
        except Exception as exc:  # noqa: BLE001  (broken transfer encodings raise anything)
            out.skipped.append(f"{name or 'a part'}: cannot be decoded ({exc})")
            continue
        if not isinstance(payload, bytes) or not payload:
            continue
        kind = sniff(payload).media_type
        disposition = (part.get_content_disposition() or "").lower()
        if kind not in ACCEPTED or kind == EML:
            if disposition == "attachment":
                out.skipped.append(f"{name or 'an attachment'}: {sniff(payload).description}, not an invoice")
            continue
        if kind in (PNG, JPEG, TIFF) and (len(payload) < SMALL_IMAGE_BYTES or (part.get("Content-ID")
                                          and disposition != "attachment")):
            out.skipped.append(f"{name or 'an image'}: small or inline image (signature or logo)")
            continue
        total += len(payload)
        if total > max_total_bytes:
            raise InputRefused(f"the message's attachments exceed {max_total_bytes:,} bytes",
                               code="mime_too_large")
        meta = {"mail_part": str(index)}
        if depth:
            meta["forwarded"] = "yes"
        out.members.append(Member(name, payload, meta))
    return out


def _walk(part: Message, depth: int) -> list[tuple[Message, int]]:
    if depth > MAX_DEPTH:
        raise InputRefused(f"messages nested more than {MAX_DEPTH} deep", code="mime_too_deep")
    found: list[tuple[Message, int]] = [(part, depth)]
    if part.get_content_type() == "message/rfc822" or part.get_content_maintype() == "message":
        inner = part.get_payload()
        for sub in inner if isinstance(inner, list) else [inner]:
            if isinstance(sub, Message):
                found.extend(_walk(sub, depth + 1))
    elif part.is_multipart():
        for sub in part.get_payload():  # type: ignore[union-attr]
            if isinstance(sub, Message):
                found.extend(_walk(sub, depth))
    return found


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001  (a broken RFC 2231 parameter)
        return None
    if not name:
        ctype_name = part.get_param("name")
        name = ctype_name if isinstance(ctype_name, str) else None
    return str(name) if name else None
