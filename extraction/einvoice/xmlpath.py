"""Navigating e-invoice trees by local element names.

ZUGFeRD 1.0 and CII D16B (ZUGFeRD 2.x, Factur-X, XRechnung) name the same business terms with the same
local names under different namespace URIs and versions; matching local names lets one mapping read all
of them. Paths are ``/``-separated local names, each step one level down; ``|`` gives alternatives for a
step (``HeaderExchangedDocument|ExchangedDocument``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeAlias

from lxml import etree

Element: TypeAlias = etree._Element


def local_name(el: Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def children(el: Element, names: str) -> Iterator[Element]:
    wanted = set(names.split("|"))
    for child in el.iterchildren():
        if local_name(child) in wanted:
            yield child


def find_all(el: Element | None, path: str) -> list[Element]:
    if el is None:
        return []
    current = [el]
    for step in path.split("/"):
        current = [child for node in current for child in children(node, step)]
        if not current:
            return []
    return current


def find(el: Element | None, path: str) -> Element | None:
    found = find_all(el, path)
    return found[0] if found else None


def text(el: Element | None, path: str | None = None) -> str | None:
    """The stripped text at ``path`` (or of ``el``), ``None`` when absent or blank."""
    node = find(el, path) if path else el
    if node is None:
        return None
    value = "".join(node.itertext()).strip()
    return value or None


def attr(el: Element | None, path: str, name: str) -> str | None:
    node = find(el, path)
    if node is None:
        return None
    value = node.get(name)
    return value.strip() if value and value.strip() else None
