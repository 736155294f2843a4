"""Data flows one way: no package imports one above it (the design's layering, checked on every module)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What each package may import besides itself. `payables/` wires everything and may import anything.
ALLOWED: dict[str, set[str]] = {
    "models": set(),
    "ingest": {"models"},
    "extraction": {"models"},
    "matching": {"models", "extraction"},
    "erp": {"models", "ingest"},
    "review_ui": {"models", "ingest", "extraction", "matching", "erp"},
    "synth": {"models"},
}
PACKAGES = {*ALLOWED, "payables"}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & PACKAGES


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_no_package_imports_a_layer_above_it(package: str) -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {other}"
        for path in (ROOT / package).rglob("*.py")
        for other in _imports(path) - ALLOWED[package] - {package}
    }
    assert not wrong, sorted(wrong)
