"""The evaluation corpus on disk: each document beside its ``<stem>.truth.json``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.errors import ConfigurationError

_MEDIA_TYPES = {".pdf": "application/pdf", ".xml": "application/xml", ".png": "image/png",
                ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".tif": "image/tiff", ".tiff": "image/tiff"}


@dataclass(frozen=True)
class CorpusDoc:
    path: Path
    truth: dict[str, Any]
    folder: str
    kind: str
    media_type: str

    @property
    def name(self) -> str:
        return f"{self.folder}/{self.path.name}"

    @property
    def split(self) -> str:
        """``dev`` (what training and calibration may see) or ``test``: half of each folder, by name hash."""
        digest = hashlib.sha256(self.name.encode()).digest()
        return "dev" if digest[0] % 2 == 0 else "test"


def load_corpus(root: Path, *, split: str = "all", recursive: bool = False) -> list[CorpusDoc]:
    """Every document beside its truth file; ``recursive`` for nested folders. A world written by
    ``payables synth`` (``truth/`` and ``documents/``) is read through its truth files' document lists."""
    if not root.is_dir():
        raise ConfigurationError(f"The corpus folder {root} does not exist.")
    if (root / "truth").is_dir() and (root / "documents").is_dir():
        return [d for d in load_world(root) if split in ("all", d.split)]
    docs: list[CorpusDoc] = []
    for truth_path in sorted(root.rglob("*.truth.json") if recursive else root.glob("*/*.truth.json")):
        stem = truth_path.name[: -len(".truth.json")]
        sources = [p for p in truth_path.parent.iterdir()
                   if p.name.startswith(stem + ".") and p.suffix.lower() in _MEDIA_TYPES and p.stem == stem]
        if not sources:
            continue
        source = sources[0]
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        meta = truth.get("_meta") or {}
        doc = CorpusDoc(source, truth, truth_path.parent.name, str(meta.get("kind") or "unknown"),
                        _MEDIA_TYPES[source.suffix.lower()])
        if split in ("all", doc.split):
            docs.append(doc)
    return docs


def load_world(root: Path) -> list[CorpusDoc]:
    """A generated world: each truth file names its renderings; each becomes a document, grouped by the
    vendor layout it was drawn with (``synth:<layout>``) and typed by its rendering's kind."""
    docs: list[CorpusDoc] = []
    for truth_path in sorted((root / "truth").glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        meta = truth.get("_meta") or {}
        for entry in (meta.get("documents") or {}).values():
            path = root / str(entry.get("path", ""))
            media_type = _MEDIA_TYPES.get(path.suffix.lower())
            if media_type is None or not path.is_file():
                continue  # e-mails go through intake, not extraction
            docs.append(CorpusDoc(path, truth, f"synth:{meta.get('layout') or 'unknown'}",
                                  str(entry.get("kind") or meta.get("kind") or "unknown"), media_type))
    return docs

