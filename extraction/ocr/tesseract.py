"""tesseract through pytesseract: words with boxes and confidences, and orientation (OSD).

Each call runs tesseract as its own process, killed when ``timeout`` passes, so a hang or a crash on a
hostile image ends as one of our errors instead of a stuck worker. ``OMP_THREAD_LIMIT=1``: tesseract's
OpenMP threads make it about twice slower on a 2-core machine than one thread per page with pages run
side by side (measured in ``bench/extract_read.py``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pytesseract
from PIL import Image

from models.errors import ConfigurationError, DocumentUnreadable, TransientError

os.environ["OMP_THREAD_LIMIT"] = "1"
T = TypeVar("T")


@dataclass(frozen=True)
class TessWord:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float  # 0..1
    block: int
    line: int


@dataclass(frozen=True)
class Orientation:
    rotate: int        # clockwise degrees that make the page upright
    confidence: float  # tesseract's orientation confidence (≈ 2 is a guess, ≥ 5 is sure)


def _image(grey: np.ndarray) -> Image.Image:
    image = Image.fromarray(grey)
    image.format = "BMP"  # uncompressed: writing a PNG for the subprocess costs more than the copy
    return image


def tesseract_words(grey: np.ndarray, *, languages: str, dpi: int, timeout: float, psm: int = 3) -> list[TessWord]:
    config = f"--oem 1 --psm {psm} --dpi {dpi} -c preserve_interword_spaces=0"
    image = _image(grey)
    data: dict[str, list[Any]] = _guarded(lambda: pytesseract.image_to_data(
        image, lang=languages, config=config, timeout=timeout, output_type=pytesseract.Output.DICT), timeout)
    words: list[TessWord] = []
    for i, raw_text in enumerate(data["text"]):
        text = (raw_text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        words.append(TessWord(text, int(data["left"][i]), int(data["top"][i]), int(data["width"][i]),
                              int(data["height"][i]), min(conf, 100.0) / 100.0,
                              int(data["block_num"][i]), int(data["line_num"][i])))
    return words


def orientation(grey: np.ndarray, *, timeout: float) -> Orientation | None:
    """Page orientation by tesseract OSD; ``None`` when the page has too little text to tell."""
    try:
        image = _image(grey)
        raw = str(_guarded(lambda: pytesseract.image_to_osd(image, lang="osd", config="--psm 0", timeout=timeout),
                           timeout))
    except DocumentUnreadable:
        # OSD fails ("Too few characters") on sparse pages; the page is then read as it is.
        return None
    rotate = re.search(r"Rotate:\s*(\d+)", raw)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", raw)
    if not rotate:
        return None
    return Orientation(int(rotate.group(1)) % 360, float(conf.group(1)) if conf else 0.0)


def _guarded(call: Callable[[], T], timeout: float) -> T:
    try:
        return call()
    except pytesseract.TesseractNotFoundError as exc:
        raise ConfigurationError("tesseract is not installed (scripts/install-system.sh installs it).",
                                 code="tesseract_missing") from exc
    except pytesseract.TesseractError as exc:
        message = str(exc.message).strip().splitlines()
        detail = message[-1] if message else f"exit status {exc.status}"
        if isinstance(exc.status, int) and exc.status < 0:
            # Killed by a signal (a crash, or the kernel out of memory): worth retrying; the pipeline's
            # retry limit turns a page that always crashes it into a visible failure.
            raise TransientError(f"tesseract crashed on a page (signal {-exc.status}): {detail}.",
                                 code="ocr_crashed") from exc
        raise DocumentUnreadable(f"OCR failed on a page: {detail}.", code="ocr_failed") from exc
    except RuntimeError as exc:  # pytesseract's timeout, after it has killed the process
        raise TransientError(f"OCR of a page took longer than {timeout:.0f} s and was stopped.",
                             code="ocr_timeout") from exc
