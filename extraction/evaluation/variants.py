"""Two more ways to read one hybrid PDF: without its embedded XML, and as a degraded scan.

The printed values of a hybrid PDF were checked against its XML, so its truth holds for both variants:
- *stripped*: the PDF with its embedded files and their references removed, so only the page is left;
- *scan*: every page rendered with pypdfium2 at 200–300 dpi, turned by up to ±3°, blurred, speckled with
  noise and JPEG-compressed, the way an office scanner and an e-mail gateway leave a page, and stored as
  a multi-page TIFF that goes through OCR like any scan.
The degradation is seeded by the document's name, so every run sees the same pages.
"""

from __future__ import annotations

import hashlib
import io
import random

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from models.errors import DocumentUnreadable


def strip_embedded_files(pdf: bytes) -> bytes:
    """The PDF without embedded files (Factur-X/ZUGFeRD XML), its pages untouched."""
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    except Exception as exc:
        raise DocumentUnreadable(f"The PDF cannot be rewritten without its attachments: {exc}.") from exc
    root = writer._root_object
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        if "/EmbeddedFiles" in names:
            del names[NameObject("/EmbeddedFiles")]
    for key in ("/AF", "/Metadata"):
        if key in root:
            del root[NameObject(key)]
    for page in writer.pages:
        if "/AF" in page:
            del page[NameObject("/AF")]
        annots = page.get("/Annots")
        if annots is not None:
            kept = [a for a in annots.get_object() if a.get_object().get("/Subtype") != "/FileAttachment"]
            if kept:
                page[NameObject("/Annots")] = type(annots.get_object())(kept)
            else:
                del page[NameObject("/Annots")]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def degraded_scan(pdf: bytes, seed_name: str, *, max_pages: int = 10) -> bytes:
    """The pages as a scanner would deliver them: a multi-page TIFF of degraded grey images."""
    rng = random.Random(int.from_bytes(hashlib.sha256(seed_name.encode()).digest()[:8], "big"))
    document = pdfium.PdfDocument(pdf)
    frames: list[Image.Image] = []
    dpi = rng.choice((200, 240, 300))
    try:
        for index in range(min(len(document), max_pages)):
            page = document[index]
            try:
                bitmap = page.render(scale=dpi / 72, grayscale=True)
                image = bitmap.to_pil().convert("L")
            finally:
                page.close()
            frames.append(_degrade(image, rng))
    finally:
        document.close()
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], dpi=(dpi, dpi),
                   compression="tiff_lzw")
    return out.getvalue()


def _degrade(image: Image.Image, rng: random.Random) -> Image.Image:
    angle = rng.uniform(-3.0, 3.0)
    turned = image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    blurred = turned.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.4, 1.0)))
    pixels = np.asarray(blurred, dtype=np.float32)
    noise = np.random.default_rng(rng.getrandbits(32)).normal(0.0, rng.uniform(6.0, 12.0), pixels.shape)
    noisy = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), mode="L")
    buffer = io.BytesIO()
    noisy.save(buffer, format="JPEG", quality=rng.randint(45, 75))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L")
