"""Finding the invoice XML a hybrid PDF carries (Factur-X, ZUGFeRD 1.0/2.x, XRechnung).

The standards put the XML in the document's EmbeddedFiles name tree under a fixed name, and PDF/A-3 also
lists it in the catalog's ``/AF`` (associated files) array. Both are looked at; the fixed names are
preferred, then any other attached ``.xml`` whose root is an invoice.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject

log = logging.getLogger(__name__)

# The file names each standard prescribes, lower-cased, in order of preference.
KNOWN_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "zugferd-invoice.xml")
MAX_ATTACHMENTS = 64
# pypdf's own guards (decompression limits) raise these on a hostile stream; anything else pypdf raises
# on a malformed file is one of the built-in types below.
_MALFORMED = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
              AssertionError, OSError)


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes


def embedded_xml(data: bytes) -> list[Attachment]:
    """XML attachments of the PDF, best candidates first; empty when it has none or cannot be parsed."""
    try:
        found = _attachments(PdfReader(io.BytesIO(data), strict=False))
    except _MALFORMED as exc:
        # The page reader reports an unreadable PDF with its own clear error; here it only means
        # "no e-invoice found", logged so that the reason is not lost.
        log.warning("could not look for embedded e-invoice XML: %s: %s", type(exc).__name__, exc)
        return []
    xml = [a for a in found if a.name.lower().endswith(".xml") or a.data.lstrip()[:5] == b"<?xml"]
    return sorted(xml, key=_preference)


def _preference(attachment: Attachment) -> int:
    name = attachment.name.lower()
    return KNOWN_NAMES.index(name) if name in KNOWN_NAMES else len(KNOWN_NAMES)


def _attachments(reader: PdfReader) -> list[Attachment]:
    out: dict[str, Attachment] = {}
    for key, contents in reader.attachments.items():
        name = _text(key)
        for content in contents[:1]:
            out.setdefault(name, Attachment(name, bytes(content)))
        if len(out) >= MAX_ATTACHMENTS:
            break
    for spec in _associated_files(reader):
        attachment = _from_filespec(spec)
        if attachment is not None:
            out.setdefault(attachment.name, attachment)
    return list(out.values())


def _associated_files(reader: PdfReader) -> list[DictionaryObject]:
    root = reader.trailer["/Root"].get_object()
    af = root.get("/AF") if isinstance(root, DictionaryObject) else None
    if af is None:
        return []
    af = af.get_object()
    if not isinstance(af, ArrayObject):
        return []
    specs = [item.get_object() for item in af[:MAX_ATTACHMENTS]]
    return [s for s in specs if isinstance(s, DictionaryObject)]


def _from_filespec(spec: DictionaryObject) -> Attachment | None:
    name: Any = spec.get("/UF") or spec.get("/F")
    ef = spec.get("/EF")
    if name is None or ef is None:
        return None
    ef = ef.get_object()
    stream = (ef.get("/F") or ef.get("/UF")) if isinstance(ef, DictionaryObject) else None
    if stream is None:
        return None
    return Attachment(_text(name), bytes(stream.get_object().get_data()))


def _text(name: object) -> str:
    """A file name as text: PDF strings that are not valid text come through as bytes."""
    if isinstance(name, bytes):
        return name.decode("latin-1")
    return str(name)
