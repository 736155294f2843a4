"""The evaluation over real corpus documents: systems, variants, scores and the report."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner

from extraction.api import ReadLimits
from extraction.einvoice import read_einvoice
from extraction.evaluation.corpus import load_corpus
from extraction.evaluation.report import format_report, score
from extraction.evaluation.runner import PageCache, run_document, variants_of
from extraction.evaluation.variants import degraded_scan, strip_embedded_files
from payables.cli.eval import command as eval_command

PDF = "application/pdf"


def test_corpus_loads_every_document_with_its_kind_and_a_stable_split(corpus_dir: Path) -> None:
    docs = load_corpus(corpus_dir)
    assert len(docs) >= 160
    assert {d.kind for d in docs} >= {"einvoice_xml", "hybrid_pdf", "digital_pdf", "image_scan"}
    dev = {d.name for d in load_corpus(corpus_dir, split="dev")}
    test = {d.name for d in load_corpus(corpus_dir, split="test")}
    assert dev and test and not dev & test and len(dev | test) == len(docs)


def test_stripping_a_hybrid_pdf_leaves_the_page_and_removes_the_xml(corpus_dir: Path) -> None:
    data = (corpus_dir / "ferd_zugferd24" / "EN16931_Einfach_fx.pdf").read_bytes()
    assert read_einvoice(data, PDF) is not None
    stripped = strip_embedded_files(data)
    assert read_einvoice(stripped, PDF) is None
    from extraction.pages import read_pages

    assert [len(p.words) for p in read_pages(stripped, PDF, ReadLimits())] == \
        [len(p.words) for p in read_pages(data, PDF, ReadLimits())]


def test_a_degraded_scan_is_a_tiff_page_per_pdf_page_and_always_the_same(corpus_dir: Path) -> None:
    from PIL import Image

    data = (corpus_dir / "ferd_zugferd24" / "MINIMUM_Rechnung_fx.pdf").read_bytes()
    scan = degraded_scan(data, "MINIMUM_Rechnung_fx")
    assert scan == degraded_scan(data, "MINIMUM_Rechnung_fx")
    image = Image.open(io.BytesIO(scan))
    assert getattr(image, "n_frames", 1) == 1
    assert 200 <= image.info["dpi"][0] <= 300


def test_scores_per_field_kind_and_folder_with_the_baseline_alongside(corpus_dir: Path) -> None:
    docs = [d for d in load_corpus(corpus_dir) if d.name in {
        "invoice2data/coolblue1.pdf", "oca_edi/efff_BE0505890632_160421_Inv_16117778.xml",
        "ferd_zugferd24/EN16931_Einfach_fx.pdf"}]
    cache = PageCache(None, ReadLimits())
    results = []
    for doc in docs:
        # A scan variant needs OCR (minutes on the CI machine): the stripped variant is enough here.
        for variant in variants_of(doc, with_variants=True, scans=False):
            results += run_document(doc, variant, ("product", "rules", "invoice2data"), cache)
    report = score(results)
    product = report.groups["product"]
    assert product["kind:einvoice_xml"].fields["total_amount"].rate == 1.0
    assert product["kind:hybrid_pdf"].fields["invoice_number"].rate == 1.0
    assert product["kind:hybrid_pdf/stripped"].fields["total_amount"].rate == 1.0
    assert report.groups["rules"]["folder:invoice2data"].fields["vendor_vat"].rate == 1.0
    assert report.groups["invoice2data"]["folder:invoice2data"].fields["total_amount"].rate == 1.0
    assert product["all"].line_truth > 0
    text = format_report(report, systems=["product", "rules", "invoice2data"])
    assert "| total_amount |" in text and "Calibration (product)" in text


def test_eval_command_writes_its_json(corpus_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    result = CliRunner().invoke(eval_command, [str(corpus_dir), "--folder", "peppol_bis3", "--systems",
                                               "product", "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["systems"]["product"]["all"]["fields"]["invoice_number"]["accuracy"] == 1.0
