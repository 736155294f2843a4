"""Reading speed: words with boxes from text layers and from scans, against bare baselines run on the
same pages in the same run (the machine is shared and noisy, so ratios are what count).

- Text-layer page: ``read_pages`` against a bare pypdfium2 text read of the same document (open, text
  page, full text, per page), and pdfplumber's ``extract_words`` for the record; medians per page over
  the corpus's PDFs.
- Scanned page: ``read_pages`` on a degraded scan (corpus page rendered at 300 dpi, turned ±3°, blurred,
  noisy, JPEG-compressed) against bare tesseract on the same image (a ``tesseract`` process reading
  the same file, same languages, ``OMP_THREAD_LIMIT=1``), with the share of the text layer's words each
  one recovers.
- tesseract's own threads against one thread per page; a four-page scan read with one worker thread
  against two (tesseract processes side by side).
- Peak memory (max RSS) of a fresh worker process reading a text PDF and a four-page scan, and of its
  tesseract child processes.

- ``--quality``: whether the key values survive OCR: degraded scans of the corpus PDFs' first pages
  (invoice number, date and total from the truth, looked for among the words wherever the text layer
  shows them on that page), and the SROIE receipts (total and date among the words).

    .venv/bin/python bench/extract_read.py [--corpus ../shared/corpus] [--scans 4] [--repeat 3] [--quality]
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ["OMP_THREAD_LIMIT"] = "1"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from extraction.api import ReadLimits  # noqa: E402
from extraction.pages import read_pages  # noqa: E402

PDF, PNG = "application/pdf", "image/png"
LIMITS = ReadLimits()


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def bare_pdfium(data: bytes) -> None:
    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            text_page = page.get_textpage()
            text_page.get_text_range()
            text_page.close()
            page.close()
    finally:
        document.close()


def plumber_words(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_words()


def text_layer(corpus: Path, repeat: int) -> None:
    bare, ours, plumber = [], [], []
    for path in sorted(corpus.glob("*/*.pdf")):
        data = path.read_bytes()
        pages = read_pages(data, PDF, LIMITS)
        if any(p.source != "text_layer" for p in pages):
            continue
        n = len(pages)
        bare.append(best_of(repeat, lambda data=data: bare_pdfium(data)) / n)
        ours.append(best_of(repeat, lambda data=data: read_pages(data, PDF, LIMITS)) / n)
        plumber.append(best_of(1, lambda data=data: plumber_words(data)) / n)
    b, o, p = (statistics.median(v) * 1000 for v in (bare, ours, plumber))
    ratios = sorted(x / y for x, y in zip(ours, bare, strict=True))
    print(f"\n### Text layer ({len(bare)} corpus PDFs, per page, best of {repeat})\n")
    print("| reader | ms per page (median) | × bare pypdfium2 text read |")
    print("|---|---|---|")
    print(f"| bare pypdfium2 text read | {b:.2f} | 1.00 |")
    print(f"| read_pages (pdfium words with boxes, safety checks) | {o:.2f} | {o / b:.2f} |")
    print(f"| pdfplumber extract_words | {p:.2f} | {p / b:.2f} |")
    print(f"\nper-document ratio read_pages / bare: median {statistics.median(ratios):.2f}, "
          f"90th percentile {ratios[int(len(ratios) * 0.9)]:.2f}")


def degrade(grey: np.ndarray, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    h, w = grey.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), float(rng.uniform(-3, 3)), 1.0)
    image = cv2.warpAffine(grey, matrix, (w, h), borderValue=255)
    image = cv2.GaussianBlur(image, (3, 3), 0)
    image = np.clip(image + rng.normal(0, rng.uniform(5, 12), image.shape), 0, 255).astype(np.uint8)
    _, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(45, 80))])
    decoded = cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE)
    ok, png = cv2.imencode(".png", decoded)
    assert ok
    return bytes(png)


def scans(corpus: Path, count: int) -> list[tuple[str, bytes, list[str]]]:
    """``count`` corpus first pages as degraded 300-dpi scans, with the words of their text layer."""
    picked = sorted(corpus.glob("invoice2data/*.pdf"))[:count // 2] + sorted(corpus.glob("ferd_zugferd24/*.pdf"))
    out = []
    for i, path in enumerate(picked[:count]):
        document = pdfium.PdfDocument(path.read_bytes())
        page = document[0]
        text_page = page.get_textpage()
        words = text_page.get_text_range().split()
        text_page.close()
        grey = page.render(scale=300 / 72, grayscale=True).to_numpy()
        grey = np.ascontiguousarray(grey if grey.ndim == 2 else grey[:, :, 0])
        out.append((path.name, degrade(grey, i), words))
        document.close()
    return out


def bare_tesseract(png: bytes, threads: int | None = 1) -> list[str]:
    env = dict(os.environ)
    if threads is None:
        env.pop("OMP_THREAD_LIMIT", None)
    else:
        env["OMP_THREAD_LIMIT"] = str(threads)
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(png)
        f.flush()
        out = subprocess.run(["tesseract", f.name, "stdout", "-l", LIMITS.ocr_languages, "--psm", "3", "tsv"],
                             capture_output=True, env=env, check=True).stdout.decode()
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    return [r[11] for r in rows if len(r) == 12 and r[11].strip() and float(r[10]) >= 0]


def recall(truth: list[str], read: list[str]) -> float:
    norm = lambda t: re.sub(r"[^\w.,/-]", "", t)  # noqa: E731
    want = collections.Counter(n for n in map(norm, truth) if n)
    got = collections.Counter(n for n in map(norm, read) if n)
    return sum(min(c, got[w]) for w, c in want.items()) / max(1, sum(want.values()))


def scanned(corpus: Path, count: int, repeat: int) -> list[bytes]:
    pages = scans(corpus, count)
    rows, bare_t, ours_t = [], [], []
    for name, png, truth in pages:
        # Interleaved, best of ``repeat`` each: other processes on the machine come and go.
        b = o = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            bare_words = bare_tesseract(png)
            b = min(b, time.perf_counter() - started)
            started = time.perf_counter()
            page = read_pages(png, PNG, LIMITS, workers=1)[0]
            o = min(o, time.perf_counter() - started)
        bare_t.append(b)
        ours_t.append(o)
        rows.append((name, b, o, recall(truth, bare_words), recall(truth, [w.text for w in page.words])))
    print(f"\n### Scanned pages ({len(rows)} degraded 300-dpi scans, languages {LIMITS.ocr_languages}, "
          f"best of {repeat})\n")
    print("| page | bare tesseract s | read_pages s | × bare | words recovered: bare | read_pages |")
    print("|---|---|---|---|---|---|")
    for name, b, o, rb, ro in rows:
        print(f"| {name[:40]} | {b:.2f} | {o:.2f} | {o / b:.2f} | {rb:.3f} | {ro:.3f} |")
    total_b, total_o = sum(bare_t), sum(ours_t)
    print(f"| **all** | {total_b:.2f} | {total_o:.2f} | **{total_o / total_b:.2f}** | "
          f"{statistics.mean(r[3] for r in rows):.3f} | {statistics.mean(r[4] for r in rows):.3f} |")
    return [png for _, png, _ in pages]


def threads(pngs: list[bytes]) -> None:
    png = pngs[0]
    one = best_of(1, lambda: bare_tesseract(png, threads=1))
    many = best_of(1, lambda: bare_tesseract(png, threads=None))
    pdf = scanned_pdf(pngs[:4])
    w1 = best_of(1, lambda: read_pages(pdf, PDF, LIMITS, workers=1))
    w2 = best_of(1, lambda: read_pages(pdf, PDF, LIMITS, workers=2))
    print("\n### Threads and workers\n")
    print("| run | s | ratio |")
    print("|---|---|---|")
    print(f"| one page, tesseract OMP_THREAD_LIMIT=1 | {one:.2f} | 1.00 |")
    print(f"| one page, tesseract's own threads | {many:.2f} | {many / one:.2f} |")
    print(f"| {len(pngs[:4])}-page scan, read_pages workers=1 | {w1:.2f} | 1.00 |")
    print(f"| {len(pngs[:4])}-page scan, read_pages workers=2 | {w2:.2f} | {w2 / w1:.2f} |")


def scanned_pdf(pngs: list[bytes]) -> bytes:
    from PIL import Image

    frames = [Image.open(io.BytesIO(p)).convert("L") for p in pngs]
    out = io.BytesIO()
    frames[0].save(out, format="PDF", save_all=True, append_images=frames[1:], resolution=300.0)
    return out.getvalue()


# The peak resident set of the worker process: VmHWM, because Linux carries ru_maxrss over exec() from
# the (larger) parent, and of the bare import, to tell the libraries from the reading.
_MEMORY_CHILD = """
import json, re, sys
sys.path.insert(0, {root!r})
def peak():
    return int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
from extraction.api import ReadLimits
from extraction.pages import read_pages
imported = peak()
data = open({path!r}, "rb").read()
pages = read_pages(data, {media!r}, ReadLimits(), workers={workers})
print(json.dumps({{"pages": len(pages), "imported": imported, "peak": peak()}}))
"""


def memory(corpus: Path, pngs: list[bytes]) -> None:
    text_pdf = next(p for p in sorted(corpus.glob("ferd_zugferd24/*.pdf")))
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
        f.write(scanned_pdf(pngs[:4]))
        scan_path = f.name
    print("\n### Peak memory (resident, MB)\n")
    print("| process | pages | after imports | peak |")
    print("|---|---|---|---|")
    for label, path, workers in ((f"worker reading a text PDF ({text_pdf.name})", str(text_pdf), 1),
                                 ("worker reading a 300-dpi scanned PDF, 2 OCR threads", scan_path, 2)):
        code = _MEMORY_CHILD.format(root=str(ROOT), path=path, media=PDF, workers=workers)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, text=True).stdout
        stats = json.loads(out.strip().splitlines()[-1])
        print(f"| {label} | {stats['pages']} | {stats['imported'] / 1024:.0f} | {stats['peak'] / 1024:.0f} |")
    os.unlink(scan_path)
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(pngs[0])
        f.flush()
        timed = subprocess.run(["/usr/bin/time", "-f", "%M", "tesseract", f.name, "stdout", "-l",
                                LIMITS.ocr_languages, "tsv"], capture_output=True, text=True,
                               env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=True)
    print(f"| one tesseract process, {LIMITS.ocr_languages}, one 300-dpi page | 1 | | "
          f"{int(timed.stderr.strip().splitlines()[-1]) / 1024:.0f} |")


def _amount_forms(value: str) -> set[str]:
    """How an amount is printed: 1,234.56 / 1234.56 / 1.234,56 / 1234,56 / 1 234,56."""
    english = f"{float(value):,.2f}"
    german = english.replace(",", "X").replace(".", ",").replace("X", ".")
    return {english, english.replace(",", ""), german, german.replace(".", ""), german.replace(".", " ")}


def _date_forms(iso: str) -> set[str]:
    y, m, d = (int(v) for v in iso.split("-"))
    return {f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y}", f"{d:02d}/{m:02d}/{y}", f"{m:02d}/{d:02d}/{y}", iso,
            f"{d:02d}-{m:02d}-{y}", f"{d:02d}.{m:02d}.{y % 100:02d}", f"{m}/{d}/{y}", f"{d}/{m}/{y}"}


def _dates_in(text: str) -> set[str]:
    """ISO dates of the numeric dates in ``text`` (day-first and month-first both), for receipts."""
    found = set()
    for a, b, y in re.findall(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2,4})", text):
        year = int(y) + (2000 if len(y) == 2 else 0)
        for day, month in ((int(a), int(b)), (int(b), int(a))):
            if 1 <= month <= 12 and 1 <= day <= 31:
                found.add(f"{year:04d}-{month:02d}-{day:02d}")
    for y, m, d in re.findall(r"(\d{4})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})", text):
        found.add(f"{int(y):04d}-{int(m):02d}-{int(d):02d}")
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    for d, name, y in re.findall(r"(\d{1,2})\s*([A-Za-z]{3})[a-z]*\.?\s*,?\s*(\d{4}|\d{2})\b", text):
        if name.lower() in months:
            year = int(y) + (2000 if len(y) == 2 else 0)
            found.add(f"{year:04d}-{months.index(name.lower()) + 1:02d}-{int(d):02d}")
    return found


def quality(corpus: Path) -> None:
    from models.identifiers import normalise_ref

    hits = {"invoice number": [0, 0], "invoice date": [0, 0], "total": [0, 0]}
    paths = [p for folder in ("ferd_zugferd24", "fnfe_facturx_1007", "zugferd_corpus", "mustang_tests",
                              "invoice2data", "oca_edi")
             for p in sorted(corpus.glob(f"{folder}/*.pdf"))[::(3 if folder == "ferd_zugferd24" else 1)]]
    for i, path in enumerate(paths):
        truth = json.loads(path.with_suffix(".truth.json").read_text())
        document = pdfium.PdfDocument(path.read_bytes())
        page = document[0]
        text_page = page.get_textpage()
        layer = text_page.get_text_range()
        text_page.close()
        dpi = (200, 250, 300)[i % 3]
        grey = page.render(scale=dpi / 72, grayscale=True).to_numpy()
        grey = np.ascontiguousarray(grey if grey.ndim == 2 else grey[:, :, 0])
        document.close()
        words = read_pages(degrade(grey, i), PNG, LIMITS)[0].words
        text = " ".join(w.text for w in words)
        refs = {normalise_ref(w.text) for w in words}
        number, date, total = truth.get("invoice_number"), truth.get("invoice_date"), truth.get("total_amount")
        if number and number in layer:
            hits["invoice number"][1] += 1
            hits["invoice number"][0] += normalise_ref(number) in refs or number in text
        if date and any(f in layer for f in _date_forms(date)):
            hits["invoice date"][1] += 1
            hits["invoice date"][0] += any(f in text for f in _date_forms(date))
        if total and any(f in layer for f in _amount_forms(total)):
            hits["total"][1] += 1
            hits["total"][0] += any(f in text for f in _amount_forms(total))
    print(f"\n### Key values among the OCR words ({len(paths)} corpus PDFs, page 1 degraded, where printed)\n")
    print("| value | found | of |")
    print("|---|---|---|")
    for name, (found, total_count) in hits.items():
        print(f"| {name} | {found} | {total_count} |")
    receipts = sorted(corpus.glob("sroie/*.jpg"))
    totals = dates = 0
    for path in receipts:
        truth = json.loads(path.with_suffix(".truth.json").read_text())
        words = read_pages(path.read_bytes(), "image/jpeg", LIMITS)[0].words
        totals += any(truth["total_amount"] in w.text.replace(",", ".") for w in words)
        dates += truth["invoice_date"] in _dates_in(" ".join(w.text for w in words))
    print(f"\nSROIE receipts: total among the words {totals}/{len(receipts)}, date {dates}/{len(receipts)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--scans", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quality", action="store_true", help="also check key values survive OCR (slow)")
    args = parser.parse_args()
    text_layer(args.corpus, args.repeat)
    pngs = scanned(args.corpus, args.scans, max(1, args.repeat - 1))
    threads(pngs)
    memory(args.corpus, pngs)
    if args.quality:
        quality(args.corpus)


if __name__ == "__main__":
    main()
