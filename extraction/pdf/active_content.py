"""Refusing PDFs that carry JavaScript or launch actions.

We never run them (pdfium does not execute scripts without a form environment, and the viewer shows a
rendered PNG), but the original is stored and a clerk may download and open it in a desktop reader that
would. No genuine invoice needs a script or to launch a program, and both are how malicious PDFs
deliver their payload, so such a file is refused with a message naming what was found.

The scan walks every object, compressed object streams included, because names can hide there or be
spelled with ``#xx`` escapes (``/J#61vaScript``) that a byte search would miss.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from models.errors import InputRefused

log = logging.getLogger(__name__)

# Bytes that can only be present if the file might contain an action worth a full scan.
_SUSPECT = re.compile(rb"/(JavaScript|JS|Launch)\b|/ObjStm|/[A-Za-z]*#[0-9A-Fa-f]{2}")
_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
MAX_OBJECTS = 200_000
_MALFORMED = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
              AssertionError, OSError)


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
    if not _SUSPECT.search(data):
        return set()
    try:
        return _scan(PdfReader(io.BytesIO(data), strict=False))
    except _MALFORMED as exc:
        # pdfium could open what pypdf cannot parse; judge by the raw bytes then, erring on refusal.
        log.warning("active-content scan could not parse the PDF (%s: %s); using the byte scan", type(exc).__name__,
                    exc)
        return _byte_scan(data)


def _byte_scan(data: bytes) -> set[str]:
    """Action names in the object syntax (stream contents left out), ``#xx`` escapes decoded."""
    names = {_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), n) for n in _NAME.findall(_STREAM.sub(b"", data))}
    found = set()
    if names & {b"/JavaScript", b"/JS"}:
        found.add("javascript")
    if b"/Launch" in names:
        found.add("launch")
    return found


def _scan(reader: PdfReader) -> set[str]:
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
