"""OpenCV preprocessing steps, each on its own: no tesseract involved."""

from __future__ import annotations

import numpy as np
import pytest

from extraction.api import ReadLimits
from extraction.images import read_image_pages
from extraction.ocr import preprocess
from tests.extraction.samples import scan_of, small_invoice_pdf


def _grey(**scan: float) -> np.ndarray:
    return next(read_image_pages(scan_of(small_invoice_pdf(), **scan), ReadLimits())).grey  # type: ignore[arg-type]


@pytest.mark.parametrize("angle", [-3.0, -1.2, 0.8, 2.5])
def test_deskew_finds_the_rotation_that_levels_the_lines(angle: float) -> None:
    assert preprocess.deskew_angle(_grey(dpi=200, angle=angle, noise=8)) == pytest.approx(-angle, abs=0.25)


def test_a_level_page_is_left_alone() -> None:
    assert preprocess.deskew_angle(_grey(dpi=200, angle=0.2)) == 0.0


def test_glyph_height_follows_the_resolution() -> None:
    at_150 = preprocess.glyph_height(_grey(dpi=150))
    at_300 = preprocess.glyph_height(_grey(dpi=300))
    assert at_150 is not None and at_300 is not None
    assert at_300 / at_150 == pytest.approx(2.0, rel=0.15)


def test_only_glyphs_outside_the_readable_band_are_rescaled() -> None:
    assert preprocess.scale_for(20.0, 10_000_000, 120_000_000) == 1.0
    assert preprocess.scale_for(8.0, 1_000_000, 120_000_000) == pytest.approx(2.0)
    assert preprocess.scale_for(64.0, 30_000_000, 120_000_000) == pytest.approx(0.5)
    # Upscaling never takes a page past the pixel limit.
    assert preprocess.scale_for(5.0, 50_000_000, 120_000_000) == pytest.approx((120 / 50) ** 0.5)
    assert preprocess.scale_for(None, 1_000_000, 120_000_000) == 1.0


def test_glyph_centres_follow_the_page_through_scaling_and_rotation() -> None:
    grey = _grey(dpi=200)
    moved_page = preprocess.rotate(preprocess.resize(grey, 1.5), 2.0)
    glyphs = preprocess.find_glyphs(grey).moved(preprocess.scaling(1.5))
    glyphs = glyphs.moved(preprocess.rotation(moved_page.shape, 2.0))
    found = preprocess.find_glyphs(moved_page).centres
    distance = np.sqrt(((glyphs.centres[:, None, :] - found[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    assert np.mean(distance < 2.0) > 0.9


def test_a_shadowed_photo_is_flattened_to_even_paper() -> None:
    grey = _grey(dpi=200).astype(np.float64)
    shadow = np.linspace(0.35, 1.0, grey.shape[1])[None, :]  # dark on the left, as under a hand
    photo = (grey * shadow).astype(np.uint8)
    assert preprocess.uneven_lighting(photo, 20.0)
    assert not preprocess.uneven_lighting(grey.astype(np.uint8), 20.0)
    flat = preprocess.flatten_background(photo, 20.0)
    left, right = flat[:, :200], flat[:, -200:]
    assert abs(float(np.percentile(left, 90)) - float(np.percentile(right, 90))) < 10


def salt_and_pepper(grey: np.ndarray, share: float, seed: int = 3) -> np.ndarray:
    noisy = grey.copy()
    draw = np.random.default_rng(seed).random(grey.shape)
    noisy[draw < share / 2] = 0
    noisy[draw > 1 - share / 2] = 255
    return noisy


def test_specks_are_told_from_grain() -> None:
    clean = _grey(dpi=250)
    assert preprocess.speckle_share(clean) < 0.002
    assert preprocess.speckle_share(_grey(dpi=250, noise=25)) < 0.002  # sensor grain is not specks
    assert preprocess.speckle_share(salt_and_pepper(clean, 0.04)) > 0.009


def test_quarter_turns_are_exact() -> None:
    grey = _grey(dpi=100)
    assert np.array_equal(preprocess.turn(preprocess.turn(grey, 90), 270), grey)
    assert preprocess.turn(grey, 90).shape == grey.shape[::-1]


def _text_image() -> np.ndarray:
    """A page with black text on paper and a dark header band with white text, drawn with OpenCV."""
    import cv2

    page = np.full((900, 1400), 235, dtype=np.uint8)
    cv2.rectangle(page, (80, 200), (1320, 250), 60, thickness=-1)
    for x, word in ((100, "Artikel"), (400, "Bezeichnung"), (1100, "Betrag")):
        cv2.putText(page, word, (x, 238), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 245, 2)
    for y in (320, 370):
        cv2.putText(page, "Wundverband selbstklebend 12 Box 17,75", (100, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 20, 3)
    return page


def test_light_text_on_a_dark_band_is_turned_dark_on_light() -> None:
    page = _text_image()
    out, turned = preprocess.invert_dark_bands(page, preprocess.glyph_height(page))
    assert turned == 1
    band, body = out[205:245, 90:1310], out[290:390, 90:1310]
    assert band.mean() > 150  # the band is light now, its letters dark
    assert (band < 100).mean() > 0.05
    assert np.array_equal(body, page[290:390, 90:1310])  # ordinary lines of bold text are left alone


def test_a_page_without_dark_bands_is_returned_as_it_is() -> None:
    page = _grey(dpi=200)
    out, turned = preprocess.invert_dark_bands(page, preprocess.glyph_height(page))
    assert turned == 0 and out is page
