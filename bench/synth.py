"""How long ``payables synth`` takes, and what each rendering costs per invoice.

    .venv/bin/python bench/synth.py [--vendors 200] [--invoices 1000] [--seed 7] [--jobs 2] [--sample 40]
                                    [--out DIR] [--json OUT.json]

1. The full command's work (world, then every rendering of every invoice in ``--jobs`` worker processes)
   timed by wall clock and by CPU time (this process and its workers), so a run on a loaded machine
   still says what the work costs: on two idle cores the wall time is about the world's CPU time plus
   the rendering CPU time over two.
2. Per rendering, in this process, on a sample of the same invoices: CPU seconds per invoice for the
   digital PDF, the scan, Factur-X, UBL and the e-mail.
3. A baseline measured in the same run: one A4 page drawn with reportlab and rasterised at 300 dpi by
   pdfium, the two libraries the renderers stand on. Costs are also given as multiples of it.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from synth import SynthConfig, generate, write_world
from synth.render.cii import cii_xml
from synth.render.eml import Attachment, attachment_name, to_bytes, vendor_message
from synth.render.facturx import facturx_pdf
from synth.render.pdf import render_pdf
from synth.render.scan import _noise_tile, render_scan
from synth.render.style import style_for
from synth.render.ubl import ubl_xml
from synth.seeds import np_rng, rng


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def baseline(repeats: int = 20) -> float:
    """CPU seconds to draw a text page with reportlab and rasterise it at 300 dpi."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, invariant=1)
        for row in range(60):
            canvas.drawString(50, 800 - row * 12, f"Line {row} of a plain page, 1.234,56 EUR, 31.03.2025")
        canvas.showPage()
        canvas.save()
        document = pdfium.PdfDocument(buffer.getvalue())
        document[0].render(scale=300 / 72, grayscale=True).to_numpy()
        document.close()
        times.append(time.process_time() - start)
    return statistics.median(times)


def per_rendering(world: Any, seed: int, sample: int) -> dict[str, float]:
    _noise_tile()
    costs: dict[str, list[float]] = {k: [] for k in ("pdf", "scan", "facturx", "ubl", "email")}
    invoices = [i for i in world.invoices if i.doc.invoice_number and i.doc.issue_date][:sample]
    for inv in invoices:
        doc = inv.doc
        start = time.process_time()
        page = render_pdf(doc, style_for(doc.vendor, seed))
        costs["pdf"].append(time.process_time() - start)
        start = time.process_time()
        render_scan(page, np_rng(seed, "scan", doc.invoice_id))
        costs["scan"].append(time.process_time() - start)
        start = time.process_time()
        facturx_pdf(doc, page)
        costs["facturx"].append(time.process_time() - start)
        start = time.process_time()
        ubl_xml(doc)
        cii_xml(doc)
        costs["ubl"].append(time.process_time() - start)
        start = time.process_time()
        r = rng(seed, "bench", doc.invoice_id)
        to_bytes(vendor_message([Attachment(doc, page, attachment_name(doc, r))], seed, r), seed, doc.invoice_id)
        costs["email"].append(time.process_time() - start)
    return {k: statistics.mean(v) for k, v in costs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vendors", type=int, default=200)
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    base = baseline()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-synth-"))
    shutil.rmtree(out, ignore_errors=True)
    config = SynthConfig(vendors=args.vendors, invoices=args.invoices, seed=args.seed, jobs=args.jobs)
    wall0, cpu0 = time.perf_counter(), cpu()
    world = generate(config)
    wall1, cpu1 = time.perf_counter(), cpu()
    manifest = write_world(world, out, args.jobs)
    wall2, cpu2 = time.perf_counter(), cpu()
    stages = per_rendering(world, args.seed, args.sample)
    n = len(world.invoices)
    size = sum(f["bytes"] for f in manifest["files"])
    projected = (cpu1 - cpu0) + (cpu2 - cpu1) / 2
    result = {
        "invoices": n, "vendors": args.vendors, "jobs": args.jobs, "files": len(manifest["files"]),
        "megabytes": round(size / 1e6, 1),
        "wall_s": {"world": round(wall1 - wall0, 1), "render": round(wall2 - wall1, 1),
                   "total": round(wall2 - wall0, 1)},
        "cpu_s": {"world": round(cpu1 - cpu0, 1), "render": round(cpu2 - cpu1, 1)},
        "cpu_ms_per_invoice": round(1000 * (cpu2 - cpu0) / n, 1),
        "projected_wall_s_on_2_idle_cores": round(projected, 1),
        "baseline_ms": round(1000 * base, 2),
        "per_rendering_ms": {k: round(1000 * v, 1) for k, v in stages.items()},
        "per_rendering_in_baselines": {k: round(v / base, 1) for k, v in stages.items()},
        "invoice_in_baselines": round((cpu2 - cpu0) / n / base, 1),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.out is None:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
