"""Scans look like scans: an image (or image-only PDF) at 200-300 dpi, tilted at most 3 degrees, with
no text layer, in every format the clinics' scanners write."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pdfplumber
from PIL import Image

from synth import GeneratedWorld
from synth.render.pdf import render_pdf
from synth.render.scan import choose_settings, render_scan
from synth.render.style import style_for


def test_settings_stay_in_range_and_long_invoices_go_to_multipage_formats() -> None:
    rng = np.random.default_rng(1)
    for _ in range(200):
        s = choose_settings(rng, 1)
        assert 200 <= s.dpi <= 300 and abs(s.angle) <= 3 and s.fmt in ("png", "jpg", "tif", "pdf")
        assert choose_settings(rng, 3).fmt in ("tif", "pdf")


def test_every_scan_is_an_image_without_text(written_world: Path) -> None:
    formats = set()
    for entry in sorted((written_world / "expected").glob("*.json")):
        path = json.loads(entry.read_text(encoding="utf-8"))["renderings"].get("scan")
        if not path:
            continue
        data = (written_world / path).read_bytes()
        suffix = Path(path).suffix
        formats.add(suffix)
        if suffix == ".pdf":
            with pdfplumber.open(io.BytesIO(data)) as doc:
                assert all(not (page.extract_text() or "").strip() for page in doc.pages)
                assert all(page.images for page in doc.pages)
        else:
            image = Image.open(io.BytesIO(data))
            assert round(image.info["dpi"][0]) in (200, 240, 300)
            assert image.size[0] > 1500
    assert {".pdf", ".jpg"} <= formats


def test_a_scan_is_the_page_degraded_not_a_different_page(small_world: GeneratedWorld) -> None:
    doc = small_world.invoices[0].doc
    page = render_pdf(doc, style_for(doc.vendor, 11))
    data, _settings = render_scan(page, np.random.default_rng(3))
    again, _ = render_scan(page, np.random.default_rng(3))
    assert data == again  # seeded, no global state
    other, _ = render_scan(page, np.random.default_rng(4))
    assert other != data
