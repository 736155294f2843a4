"""Reading models from Odoo in batches, with field names as this server spells them.

``OdooSource.read`` pages through a domain by id (keyset: ``id > last``, ordered by id, so records
created or changed during the run cannot shift a page and be skipped), one ``web_search_read`` per
page with lines nested where the server has it (17+), ``search_read`` plus one read of the lines
otherwise. Field names are looked up with ``fields_get`` and the records handed back with Odoo 18's
names, so the mapping sees one shape whatever the version.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from erp.client import Domain, OdooClient, m2o_id

# Odoo 18 name → the names it had or has in other versions, in order of preference.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "purchase.order.line": {"taxes_id": ("taxes_id", "tax_ids"), "product_uom": ("product_uom", "product_uom_id")},
    "stock.move": {"quantity": ("quantity", "quantity_done"), "product_uom": ("product_uom", "product_uom_id")},
    "product.product": {"type": ("type", "detailed_type")},
}


@dataclass(frozen=True)
class Nested:
    """Lines read with their parent: ``field`` on the parent, the line model and the line fields."""

    field: str
    model: str
    fields: tuple[str, ...]
    link: str  # the line's many2one back to the parent


@dataclass(frozen=True)
class ReadSpec:
    model: str
    fields: tuple[str, ...]
    nested: Nested | None = None
    # many2one field → fields of the target to bring along (a currency's code, a picking type's warehouse)
    m2o: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def and_domains(*domains: Sequence[Any]) -> Domain:
    """Join domains with AND; each may itself be several implicitly joined terms."""
    parts = [_single(list(d)) for d in domains if d]
    if not parts:
        return []
    out: Domain = ["&"] * (len(parts) - 1)
    for part in parts:
        out.extend(part)
    return out


def or_domains(*domains: Sequence[Any]) -> Domain:
    parts = [_single(list(d)) for d in domains if d]
    if not parts:
        return []
    out: Domain = ["|"] * (len(parts) - 1)
    for part in parts:
        out.extend(part)
    return out


def _single(domain: Domain) -> Domain:
    """A domain of k implicitly AND-ed terms as one term: k-1 explicit '&' in front."""
    terms, need = 0, 1
    for item in domain:
        if item in ("&", "|"):
            need += 1
        elif item == "!":
            continue
        else:
            need -= 1
            if need == 0:
                terms += 1
                need = 1
    return ["&"] * max(terms - 1, 0) + domain


class OdooSource:
    def __init__(self, client: OdooClient, batch_size: int = 500) -> None:
        self.client = client
        self.batch_size = batch_size

    def server_names(self, model: str, wanted: Sequence[str]) -> dict[str, str]:
        """Odoo 18 name → this server's name, for the wanted fields this server has."""
        available = self.client.fields(model)
        out: dict[str, str] = {}
        for name in wanted:
            for candidate in ALIASES.get(model, {}).get(name, (name,)):
                if candidate in available:
                    out[name] = candidate
                    break
        return out

    def read(self, spec: ReadSpec, domain: Domain, *, batch_size: int | None = None) -> Iterator[list[dict[str, Any]]]:
        size = batch_size or self.batch_size
        last = 0
        while True:
            page_domain = and_domains(domain, [("id", ">", last)])
            records = self._page(spec, page_domain, size)
            if not records:
                return
            last = max(int(r["id"]) for r in records)
            yield records
            if len(records) < size:
                return

    def ids(self, model: str, domain: Domain) -> list[int]:
        return self.client.search(model, domain, order="id")

    def read_ids(self, spec: ReadSpec, ids: Sequence[int]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for i in range(0, len(ids), self.batch_size):
            chunk = list(ids[i:i + self.batch_size])
            out.extend(self._page(spec, [("id", "in", chunk)], len(chunk)))
        return out

    def _page(self, spec: ReadSpec, domain: Domain, limit: int) -> list[dict[str, Any]]:
        names = self.server_names(spec.model, spec.fields)
        if self.client.has_web_search_read:
            specification = self._specification(spec, names)
            records = self.client.web_search_read(spec.model, domain, specification, limit=limit, order="id")
        else:
            records = self.client.search_read(spec.model, domain, ["id", *names.values()], limit=limit, order="id")
            if spec.nested is not None and records:
                self._attach_lines(spec.nested, records)
        return [self._canonical(spec, names, r) for r in records]

    def _specification(self, spec: ReadSpec, names: Mapping[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for canonical, server in names.items():
            extra = spec.m2o.get(canonical)
            if extra:
                target = self.client.fields(spec.model)[server].get("relation")
                sub = self.server_names(target, extra) if target else {}
                out[server] = {"fields": {name: {} for name in sub.values()}}
            else:
                out[server] = {}
        if spec.nested is not None:
            line_names = self.server_names(spec.nested.model, spec.nested.fields)
            out[spec.nested.field] = {"fields": {name: {} for name in line_names.values()}}
        return out

    def _attach_lines(self, nested: Nested, parents: list[dict[str, Any]]) -> None:
        """Without web_search_read: one search_read of every parent's lines, grouped back."""
        line_names = self.server_names(nested.model, nested.fields)
        parent_ids = [int(p["id"]) for p in parents]
        lines = self.client.search_read(nested.model, [(nested.link, "in", parent_ids)],
                                        ["id", *line_names.values(), nested.link], order="id")
        by_parent: dict[int, list[dict[str, Any]]] = {pid: [] for pid in parent_ids}
        for line in lines:
            pid = m2o_id(line.get(nested.link))
            if pid in by_parent:
                by_parent[pid].append(line)
        for parent in parents:
            parent[nested.field] = by_parent[int(parent["id"])]

    def _canonical(self, spec: ReadSpec, names: Mapping[str, str], record: dict[str, Any]) -> dict[str, Any]:
        out = {"id": record["id"]}
        for canonical, server in names.items():
            out[canonical] = record.get(server)
        if spec.nested is not None:
            line_names = self.server_names(spec.nested.model, spec.nested.fields)
            lines = record.get(spec.nested.field)
            if isinstance(lines, list):
                out[spec.nested.field] = [
                    {"id": ln["id"], **{c: ln.get(s) for c, s in line_names.items()}} if isinstance(ln, dict) else ln
                    for ln in lines]
        return out
