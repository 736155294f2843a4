"""Running the systems over the corpus and its variants; one ``DocResult`` per document, variant and system."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extraction.api import ReadLimits
from extraction.evaluation.baseline import invoice2data_fields
from extraction.evaluation.corpus import CorpusDoc
from extraction.evaluation.variants import degraded_scan, strip_embedded_files
from extraction.invoice import extract_from_pages, extract_invoice
from models.errors import PayablesError
from models.invoice import InvoiceData
from models.text import PageText

log = logging.getLogger(__name__)
SYSTEMS = ("product", "rules", "learned", "ensemble", "invoice2data")
# The layout systems read pages only; on a standalone XML file they have nothing to read.
LAYOUT_SYSTEMS = ("rules", "learned", "ensemble")


@dataclass
class Variant:
    name: str  # original | stripped | scan
    kind: str  # the corpus kind, with the variant appended: "hybrid_pdf/stripped"
    data: bytes
    media_type: str


@dataclass
class DocResult:
    doc: CorpusDoc
    variant: str
    kind: str
    system: str
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)  # name → {"value", "confidence"}
    lines: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    engine: str = ""
    seconds: float = 0.0


class PageCache:
    """Pages read once per bytes and limits: OCR of a scan is the slow part of a run, and it does not change."""

    def __init__(self, folder: Path | None, limits: ReadLimits) -> None:
        self.folder = folder
        self.limits = limits
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def pages(self, data: bytes, media_type: str) -> list[PageText]:
        from extraction.pages import read_pages

        key = hashlib.sha256(data + repr(self.limits).encode()).hexdigest()
        path = self.folder / f"{key}.json" if self.folder else None
        if path is not None and path.exists():
            return [PageText.from_json(p) for p in json.loads(path.read_text())]
        pages = read_pages(data, media_type, self.limits)
        if path is not None:
            path.write_text(json.dumps([p.to_json() for p in pages]))
        return pages


def variants_of(doc: CorpusDoc, *, with_variants: bool, scans: bool = True) -> Iterable[Variant]:
    data = doc.path.read_bytes()
    yield Variant("original", doc.kind, data, doc.media_type)
    if not with_variants or doc.media_type != "application/pdf":
        return
    from extraction.einvoice import read_einvoice

    if read_einvoice(data, doc.media_type) is not None:
        yield Variant("stripped", f"{doc.kind}/stripped", strip_embedded_files(data), doc.media_type)
    if scans and doc.kind == "hybrid_pdf":
        yield Variant("scan", f"{doc.kind}/scan", degraded_scan(data, doc.name), "image/tiff")


def run_document(doc: CorpusDoc, variant: Variant, systems: Iterable[str], cache: PageCache) -> list[DocResult]:
    out: list[DocResult] = []
    pages: list[PageText] | None = None
    read_error: str | None = None
    read_seconds = 0.0
    if variant.media_type != "application/xml":
        started = time.perf_counter()
        try:
            pages = cache.pages(variant.data, variant.media_type)
        except PayablesError as exc:
            read_error = f"{exc.code}: {exc}"
        read_seconds = time.perf_counter() - started
    for system in systems:
        result = DocResult(doc, variant.name, variant.kind, system)
        started = time.perf_counter()
        if system in LAYOUT_SYSTEMS and variant.media_type == "application/xml":
            continue
        if read_error is not None and system != "invoice2data":
            result.error = read_error
        elif system == "invoice2data":
            found = invoice2data_fields(variant.data, variant.media_type)
            if found is None:
                continue
            result.fields = {k: {"value": v, "confidence": None} for k, v in found.items() if k != "lines"}
            result.lines = list(found.get("lines") or [])
            result.engine = "invoice2data"
        else:
            _run_ours(result, system, variant, pages or [])
        result.seconds = time.perf_counter() - started + (read_seconds if system != "invoice2data" else 0.0)
        out.append(result)
    return out


def _run_ours(result: DocResult, system: str, variant: Variant, pages: list[PageText]) -> None:
    try:
        if system == "product":
            extracted = extract_invoice(variant.data, variant.media_type, pages)
            invoice, result.engine = extracted.invoice, extracted.engine
        else:
            invoice, result.engine = extract_from_pages(pages, mode=system)
    except PayablesError as exc:
        result.error = f"{exc.code}: {exc}"
        return
    result.fields, result.lines = flatten(invoice)


def flatten(invoice: InvoiceData) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    fields = {name: {"value": f.value, "confidence": f.confidence, "source": f.source}
              for name, f in invoice.fields.items()}
    lines = [{name: line.get(name) for name in ("description", "quantity", "unit_price", "amount")}
             for line in invoice.lines]
    return fields, lines


def run_corpus(docs: list[CorpusDoc], *, systems: Iterable[str], with_variants: bool, cache: PageCache,
               progress: Callable[[str], None] | None = None) -> list[DocResult]:
    systems = tuple(systems)
    results: list[DocResult] = []
    for i, doc in enumerate(docs, start=1):
        try:
            variants = list(variants_of(doc, with_variants=with_variants))
        except PayablesError as exc:
            log.warning("%s: variants not built: %s", doc.name, exc)
            variants = list(variants_of(doc, with_variants=False))
        for variant in variants:
            results.extend(run_document(doc, variant, systems, cache))
        if progress is not None:
            progress(f"[{i}/{len(docs)}] {doc.name}")
    return results
