"""``payables extract PATH... --json``: fields and line items of documents, one JSON object per line.

Each line names its input (``path``) and carries the corpus keys, each ``{value, confidence, source,
page, bbox}``, ``lines`` as a list of such objects, and the engine that read it. A file that cannot
be read still gets its line, with ``error: {code, message}``, so a batch never loses track of an input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from extraction.api import ReadLimits
from extraction.invoice import extract_invoice
from ingest.sniff import CONTAINERS, sniff
from models.errors import PayablesError

_SUMMARY = ("vendor_name", "invoice_number", "invoice_date", "currency", "total_amount")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line per input (the stable format).")
@click.option("--max-pages", type=int, default=ReadLimits.max_pages, show_default=True,
              help="Refuse documents with more pages than this.")
def command(paths: tuple[Path, ...], as_json: bool, max_pages: int) -> None:
    """Extract invoice fields from PDF, image and e-invoice XML files (folders are walked)."""
    limits = ReadLimits(max_pages=max_pages)
    failed = 0
    for path in _files(paths):
        record = extract_file(path, limits)
        failed += int("error" in record)
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(_summary(record))
    if failed:
        sys.exit(1)


def extract_file(path: Path, limits: ReadLimits) -> dict[str, Any]:
    from extraction.pages import read_pages

    try:
        data = path.read_bytes()
    except OSError as exc:
        return {"path": str(path), "error": {"code": "unreadable", "message": f"The file cannot be read: {exc}."}}
    sniffed = sniff(data)
    if sniffed.media_type is None or sniffed.media_type in CONTAINERS:
        return {"path": str(path), "error": {"code": "unsupported_type",
                                             "message": f"This is {sniffed.description}; extract reads PDF, "
                                                        "PNG, JPEG, TIFF and e-invoice XML files."}}
    try:
        pages = read_pages(data, sniffed.media_type, limits)
        result = extract_invoice(data, sniffed.media_type, pages, envelope={"source": "cli",
                                                                             "filename": path.name})
    except PayablesError as exc:
        return {"path": str(path), "error": {"code": exc.code, "message": str(exc)}}
    record: dict[str, Any] = {"path": str(path)}
    record.update(result.invoice.to_json())
    record["engine"] = result.engine
    if result.segments:
        record["segments"] = [{"page_from": s.page_from, "page_to": s.page_to, "document_type": s.document_type}
                              for s in result.segments]
    return record


def _files(paths: tuple[Path, ...]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.name.endswith(".json"))
        else:
            yield path


def _summary(record: dict[str, Any]) -> str:
    if "error" in record:
        return f"{record['path']}: error {record['error']['code']}: {record['error']['message']}"
    parts = []
    for name in _SUMMARY:
        field = record.get(name) or {}
        value = field.get("value")
        parts.append(f"{name}={value if value is not None else '?'} ({field.get('confidence', 0):.2f})")
    return f"{record['path']}: " + ", ".join(parts) + f", {len(record.get('lines') or [])} lines [{record['engine']}]"
