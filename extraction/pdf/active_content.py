"""Refusing PDFs that carry JavaScript or launch actions.

We never run them (pdfium does not execute scripts without a form environment, and the viewer shows a
rendered PNG), but the original is stored and a clerk may download and open it in a desktop reader that
would. No genuine invoice needs a script or to launch a program, and both are how malicious PDFs
deliver their payload, so such a file is refused with a message naming what was found.

Actions are dictionaries, and dictionaries live either in the file's object syntax or inside compressed
object streams; never in page content. So the scan reads the object syntax with stream data cut out,
plus the inflated object streams, with ``#xx`` escapes in names decoded (``/J#61vaScript`` is
``/JavaScript`` to every reader). That takes about a millisecond; a file this cannot see into
(encrypted, or an object stream with an unusual filter) is walked object by object with pypdf instead.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from collections.abc import Iterable

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from models.errors import InputRefused

log = logging.getLogger(__name__)

_ESCAPED_NAME = re.compile(rb"/[^\s/<>\[\]()%{}#]*#[0-9A-Fa-f]{2}[^\s/<>\[\]()%{}]*")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# An action of those types (/S), a script entry (/JS with a string, stream or reference), or the
# document-level script name tree (/JavaScript with a dictionary or reference).
_JAVASCRIPT = re.compile(rb"/S\s*/JavaScript\b|/JS\s*[(<\d]|/JavaScript\s*(<<|\d+\s+\d+\s+R)")
_LAUNCH = re.compile(rb"/S\s*/Launch\b")
_ACTION_NAMES = re.compile(rb"/(JavaScript|JS|Launch)(?![A-Za-z0-9#])")
_DICT_BEFORE_STREAM = 600   # bytes before "stream" searched for the stream's own dictionary
MAX_INFLATED = 64 * 1024 * 1024
MAX_OBJECTS = 200_000
_MALFORMED = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
              AssertionError, OSError)


class _Opaque(Exception):
    """Part of the file cannot be read without a full parser."""


def refuse_active_content(data: bytes) -> None:
    found = find_active_content(data)
    if "launch" in found:
        raise InputRefused("The PDF contains a launch action (it asks the reader to start a program or open "
                           "a file). Invoices never need this and it is a common malware technique; the file "
                           "was refused. Ask the sender for a plain PDF.", code="pdf_launch_action")
    if "javascript" in found:
        raise InputRefused("The PDF contains JavaScript. Invoices never need scripts and they are a common "
                           "malware technique; the file was refused. Ask the sender for a plain PDF (print "
                           "to PDF without forms).", code="pdf_javascript")


def find_active_content(data: bytes) -> set[str]:
    """``{"javascript", "launch"}`` or a subset: what kinds of active content the PDF carries."""
    try:
        found = _kinds_in(_object_syntax(data))
        # Trusted as a clean bill only when nothing anywhere in the bytes (stream data included) could
        # be a disguised action: a name in a string that fakes a "stream" keyword would otherwise hide
        # the objects after it from the scan.
        if found or not _suspect(data):
            return found
    except _Opaque:
        pass
    try:
        return _walk(PdfReader(io.BytesIO(data), strict=False))
    except _MALFORMED as exc:
        # pdfium may open what pypdf cannot parse; judge by what the bytes show, erring on refusal.
        log.warning("active-content scan could not parse the PDF (%s: %s); using the byte scan",
                    type(exc).__name__, exc)
        return _kinds_in(_normalised(b"\n".join(_outside_streams(data))))


def _object_syntax(data: bytes) -> bytes:
    """The file's dictionaries as text: the bytes outside streams and the inflated object streams."""
    if re.search(rb"/Encrypt\b", data):
        raise _Opaque("encrypted")
    parts = _outside_streams(data)
    budget = MAX_INFLATED
    inflated_streams = 0
    for start, body in _streams(data):
        header = data[max(0, start - _DICT_BEFORE_STREAM):start]
        dictionary = header[header.rfind(b"obj"):] if b"obj" in header else header
        if not re.search(rb"/Type\s*/ObjStm\b", _normalised(dictionary)):
            continue
        flate = re.search(rb"/Filter\s*(/FlateDecode|\[\s*/FlateDecode\s*\])", dictionary)
        if not flate or b"/DecodeParms" in dictionary:
            raise _Opaque("object stream with another filter")
        try:
            inflater = zlib.decompressobj()
            inflated = inflater.decompress(body, budget)
        except zlib.error as exc:
            raise _Opaque("object stream does not inflate") from exc
        budget -= len(inflated)
        if budget <= 0:
            raise _Opaque("object streams too large to inflate")
        parts.append(inflated)
        inflated_streams += 1
    if data.count(b"/ObjStm") > inflated_streams:
        raise _Opaque("an object stream the scan did not find")
    return _normalised(b"\n".join(parts))


def _streams(data: bytes) -> Iterable[tuple[int, bytes]]:
    """``(offset of the stream keyword, stream data)`` for every stream (``bytes.find``: a regex with a lazy
    ``.*?`` over binary data costs ten times as much)."""
    at = 0
    while True:
        start = data.find(b"stream", at)
        if start < 0:
            return
        at = start + 6
        if data[start - 3:start] == b"end":
            continue
        body = at + (2 if data[at:at + 2] == b"\r\n" else 1 if data[at:at + 1] in (b"\n", b"\r") else 0)
        end = data.find(b"endstream", body)
        if end < 0:
            return
        yield start, data[body:end]
        at = end + 9


def _outside_streams(data: bytes) -> list[bytes]:
    parts, end = [], 0
    for start, _body in _streams(data):
        parts.append(data[end:start])
        end = data.find(b"endstream", start) + 9
    parts.append(data[end:])
    return parts


def _suspect(data: bytes) -> bool:
    """Whether an action name appears anywhere in the bytes, spelled plainly or with ``#xx`` escapes."""
    if _ACTION_NAMES.search(data):
        return True
    return any(_ACTION_NAMES.fullmatch(_normalised(m.group(0))) for m in _ESCAPED_NAME.finditer(data))


def _normalised(syntax: bytes) -> bytes:
    return _ESCAPED_NAME.sub(lambda m: _ESCAPE.sub(lambda e: bytes([int(e.group(1), 16)]), m.group(0)), syntax)


def _kinds_in(syntax: bytes) -> set[str]:
    found = set()
    if _JAVASCRIPT.search(syntax):
        found.add("javascript")
    if _LAUNCH.search(syntax):
        found.add("launch")
    return found


def _walk(reader: PdfReader) -> set[str]:
    if reader.is_encrypted:
        reader.decrypt("")
    found: set[str] = set()
    for obj in _all_objects(reader):
        if isinstance(obj, DictionaryObject):
            found |= _kinds(obj)
            if len(found) == 2:
                break
    return found


def _all_objects(reader: PdfReader) -> Iterable[PdfObject | None]:
    seen = 0
    for generation, numbers in reader.xref.items():
        for number in list(numbers):
            seen += 1
            if seen > MAX_OBJECTS:
                return
            yield IndirectObject(number, generation, reader).get_object()
    for number in list(reader.xref_objStm):
        seen += 1
        if seen > MAX_OBJECTS:
            return
        yield IndirectObject(number, 0, reader).get_object()


def _kinds(obj: DictionaryObject) -> set[str]:
    kinds: set[str] = set()
    action = obj.get("/S")
    if action == NameObject("/JavaScript") or "/JS" in obj:
        kinds.add("javascript")
    if action == NameObject("/Launch"):
        kinds.add("launch")
    names = obj.get("/JavaScript")
    if names is not None and isinstance(names.get_object(), DictionaryObject | ArrayObject):
        # The document-level name tree of scripts run on open (/Names /JavaScript).
        kinds.add("javascript")
    return kinds
