"""The sandbox's database: records in memory, Odoo's ORM semantics on top.

One ``World`` holds every model's records (Odoo ids, Odoo field names), keeps an index per many2one
for the one2many side and for searches, and runs each RPC call as a transaction: all of it or, on
an error, none of it. ``Env`` is one call's view: the user, the context and the companies it may see
(Odoo's multi-company record rules).
"""

from __future__ import annotations

import base64
import binascii
import operator
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from erp.sandbox import domain as dom
from erp.sandbox.exceptions import (
    AccessErrorFault,
    MissingErrorFault,
    ValidationErrorFault,
    ValueErrorFault,
)
from erp.sandbox.schema import MODELS, F, ModelDef

Record = dict[str, Any]
RELATIONAL = frozenset({"many2one", "one2many", "many2many"})
NUMERIC = frozenset({"float", "monetary"})
DT_FORMAT = "%Y-%m-%d %H:%M:%S"


class World:
    def __init__(self, db: str = "sandbox") -> None:
        self.db = db
        self.models: dict[str, ModelDef] = MODELS
        self.tables: dict[str, dict[int, Record]] = {name: {} for name in MODELS}
        self.next_ids: dict[str, int] = dict.fromkeys(MODELS, 1)
        # (model, many2one field) → target id → ids pointing at it
        self.index: dict[tuple[str, str], dict[int, set[int]]] = {}
        for name, mdef in MODELS.items():
            for fname, f in mdef.fields.items():
                if f.type == "many2one" and not f.related and not f.compute:
                    self.index[(name, fname)] = {}
        self.api_keys: dict[str, int] = {}
        self.sequences: dict[str, int] = {}
        self.lock = threading.RLock()
        self._undo: list[Any] | None = None
        self._touched: set[tuple[str, int]] = set()
        self._last_stamp = datetime(2000, 1, 1)
        self.tx_now = self._last_stamp

    # -- time and transactions --------------------------------------------------------------------

    def _stamp(self) -> datetime:
        now = datetime.now(UTC).replace(tzinfo=None)
        if now <= self._last_stamp:
            now = self._last_stamp + timedelta(microseconds=1)
        self._last_stamp = now
        return now

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One call: Odoo stamps every write of a transaction with the transaction's start time."""
        with self.lock:
            outer = self._undo is not None
            if outer:
                yield
                return
            self._undo = []
            self._touched = set()
            self.tx_now = self._stamp()
            try:
                yield
                self._flush_touched()
            except BaseException:
                for undo in reversed(self._undo):
                    undo()
                raise
            finally:
                self._undo = None
                self._touched = set()

    def touch(self, model: str, ids: Sequence[int | None]) -> None:
        """A stored computed field of these records changed: Odoo bumps their ``write_date``."""
        for rid in ids:
            if rid:
                self._touched.add((model, rid))

    def _flush_touched(self) -> None:
        for model, rid in sorted(self._touched):
            if rid in self.tables[model]:
                self.raw_set(model, rid, "write_date", self.tx_now)

    # -- raw storage (undoable, index-maintaining) ------------------------------------------------

    def new_id(self, model: str) -> int:
        rid = self.next_ids[model]
        self.next_ids[model] = rid + 1
        return rid

    def raw_insert(self, model: str, rec: Record) -> None:
        rid = int(rec["id"])
        self.tables[model][rid] = rec
        if rid >= self.next_ids[model]:
            self.next_ids[model] = rid + 1
        for (m, fname), idx in self.index.items():
            if m == model and rec.get(fname):
                idx.setdefault(rec[fname], set()).add(rid)
        if self._undo is not None:
            self._undo.append(lambda: self._raw_remove(model, rid))

    def raw_set(self, model: str, rid: int, fname: str, value: Any) -> None:
        rec = self.tables[model][rid]
        old = rec.get(fname)
        if old == value and fname in rec:
            return
        self._reindex(model, rid, fname, old, value)
        rec[fname] = value
        if self._undo is not None:
            def undo() -> None:
                self._reindex(model, rid, fname, value, old)
                rec[fname] = old
            self._undo.append(undo)

    def raw_delete(self, model: str, rid: int) -> None:
        rec = self._raw_remove(model, rid)
        if self._undo is not None:
            self._undo.append(lambda: self._raw_reinsert(model, rec))

    def _raw_remove(self, model: str, rid: int) -> Record:
        rec = self.tables[model].pop(rid)
        for (m, fname), idx in self.index.items():
            if m == model and rec.get(fname):
                idx.get(rec[fname], set()).discard(rid)
        return rec

    def _raw_reinsert(self, model: str, rec: Record) -> None:
        self.tables[model][rec["id"]] = rec
        for (m, fname), idx in self.index.items():
            if m == model and rec.get(fname):
                idx.setdefault(rec[fname], set()).add(rec["id"])

    def _reindex(self, model: str, rid: int, fname: str, old: Any, new: Any) -> None:
        idx = self.index.get((model, fname))
        if idx is None:
            return
        if old:
            idx.get(old, set()).discard(rid)
        if new:
            idx.setdefault(new, set()).add(rid)

    def referencing(self, model: str, fname: str, target: int) -> list[int]:
        return sorted(self.index[(model, fname)].get(target, ()))

    def next_sequence(self, key: str) -> int:
        value = self.sequences.get(key, 0) + 1
        self.sequences[key] = value
        if self._undo is not None:
            self._undo.append(lambda: self.sequences.__setitem__(key, value - 1))
        return value

    # -- users ------------------------------------------------------------------------------------

    def add_api_key(self, uid: int, key: str) -> None:
        self.api_keys[key] = uid

    def check_key(self, login_or_uid: str | int, key: str) -> int | None:
        uid = self.api_keys.get(key)
        if uid is None or uid not in self.tables["res.users"]:
            return None
        user = self.tables["res.users"][uid]
        if isinstance(login_or_uid, int) and not isinstance(login_or_uid, bool):
            return uid if login_or_uid == uid else None
        return uid if user["login"] == login_or_uid else None

    def env(self, uid: int, context: Mapping[str, Any] | None = None) -> Env:
        return Env(self, uid, dict(context or {}))

    def superuser(self) -> Env:
        return Env(self, 1, {}, su=True)


class Env:
    """One call's view: who calls, with which context, seeing which companies."""

    def __init__(self, world: World, uid: int, context: dict[str, Any], *, su: bool = False) -> None:
        self.world = world
        self.uid = uid
        self.context = context
        self.su = su
        self.sees_all = su
        self.company_ids: list[int] = []
        if not su:
            user = world.tables["res.users"].get(uid)
            if user is None:
                raise AccessErrorFault("Access Denied")
            allowed = [int(c) for c in context.get("allowed_company_ids") or [user["company_id"]]]
            if not set(allowed) <= set(user.get("company_ids") or []):
                raise AccessErrorFault("Access to unauthorized or invalid companies.")
            self.company_ids = allowed
        # Allowed every company there is: multi-company rules hide nothing (and cost nothing).
        self.sees_all = su or set(self.company_ids) >= set(world.tables["res.company"])

    def sudo(self) -> Env:
        return Env(self.world, self.uid, self.context, su=True)

    @property
    def company_id(self) -> int | None:
        if self.company_ids:
            return self.company_ids[0]
        companies = sorted(self.world.tables["res.company"])
        return companies[0] if companies else None

    def mdef(self, model: str) -> ModelDef:
        mdef = self.world.models.get(model)
        if mdef is None:
            raise ValueErrorFault(f"Invalid model name {model!r}")
        return mdef

    def field(self, model: str, fname: str) -> F:
        f = _FIELDS.get((model, fname))
        if f is None:
            f = self.mdef(model).field(fname)
            if f is None:
                raise ValueErrorFault(f"Invalid field {fname!r} on model {model!r}")
            _FIELDS[(model, fname)] = f
        return f

    # -- values -----------------------------------------------------------------------------------

    def rec(self, model: str, rid: int) -> Record:
        rec = self.world.tables[model].get(rid)
        if rec is None:
            raise MissingErrorFault(f"Record does not exist or has been deleted.\n(Record: {model}({rid},), "
                                    f"User: {self.uid})")
        return rec

    def get(self, model: str, rec: Record, fname: str) -> Any:
        """A field's value: stored, related (followed) or computed."""
        if fname == "id":
            return rec["id"]
        f = self.field(model, fname)
        if f.related:
            return self._related(model, rec, f)
        if f.compute:
            from erp.sandbox.computed import COMPUTE

            return COMPUTE[f.compute](self, model, rec)
        if f.type == "one2many":
            return self.world.referencing(f.relation or "", f.inverse or "", rec["id"])
        value = rec.get(fname)
        if value is None and f.type == "many2many":
            return []
        return value

    def _related(self, model: str, rec: Record, f: F) -> Any:
        assert f.related is not None
        cur_model, cur = model, rec
        for step in f.related[:-1]:
            step_field = self.field(cur_model, step)
            target = self.get(cur_model, cur, step)
            if not target:
                return [] if f.type in ("one2many", "many2many") else None
            cur_model = step_field.relation or ""
            cur = self.world.tables[cur_model].get(target) or {}
            if not cur:
                return None
        return self.get(cur_model, cur, f.related[-1])

    def display_name(self, model: str, rec: Record) -> str:
        from erp.sandbox.computed import display_name

        return display_name(self, model, rec)

    # -- visibility (multi-company record rules) --------------------------------------------------

    def visible(self, model: str, rec: Record) -> bool:
        if self.su or self.sees_all:
            return True
        cfield = self.mdef(model).company_field
        if not cfield or self.mdef(model).field(cfield) is None:
            return True
        value = self.get(model, rec, cfield)
        if not value:
            return True
        if isinstance(value, list):
            return any(c in self.company_ids for c in value)
        return value in self.company_ids

    def check_visible(self, model: str, rec: Record) -> None:
        if not self.visible(model, rec):
            mdef = self.mdef(model)
            user = self.world.tables["res.users"].get(self.uid, {})
            raise AccessErrorFault(
                f"Due to security restrictions, you are not allowed to access '{mdef.description}' ({model}) "
                f"records.\n\nRecords: {self.display_name(model, rec)} (id={rec['id']})\n"
                f"User: {user.get('name')} (id={self.uid})\n\nThis restriction is due to the following rules:\n"
                f"- {mdef.description} multi-company\n\nNote: this might be a multi-company issue. Switching "
                "company may help - in Odoo, not in real life!\n\nContact your administrator to request access "
                "if necessary.")

    # -- search -----------------------------------------------------------------------------------

    def resolver(self, model: str) -> dom.Resolver:
        def resolve(rec: Record, path: str) -> tuple[list[Any], str]:
            cur_model, recs = model, [rec]
            parts = path.split(".")
            for i, part in enumerate(parts):
                f = self.field(cur_model, part)
                values: list[Any] = []
                for r in recs:
                    v = self.get(cur_model, r, part)
                    if isinstance(v, list):
                        values.extend(v)
                    else:
                        values.append(v)
                if i == len(parts) - 1:
                    return values, f.type if part != "id" else "integer"
                cur_model = f.relation or ""
                table = self.world.tables[cur_model]
                recs = [table[v] for v in values if v and v in table]
            return [], "char"
        return resolve

    def search(self, model: str, domain: Sequence[Any], *, offset: int = 0, limit: int | None = None,
               order: str | None = None) -> list[int]:
        mdef = self.mdef(model)
        tree = dom.parse(domain)
        table = self.world.tables[model]
        if "active" in mdef.fields and self.context.get("active_test", True) and not _mentions(domain, "active"):
            tree = dom.Node("&", (dom.Leaf("active", "=", True), tree))
        tree = _cheap_first(tree)
        proven: set[int] = set()
        candidates = self._candidates(model, tree, proven)
        ids = candidates if candidates is not None else list(table)
        tree = _prune(tree, proven)
        resolve = self.resolver(model)
        found = [rid for rid in ids if rid in table and self.visible(model, table[rid])
                 and dom.matches(tree, table[rid], resolve)]
        found = self._sort(model, found, order or mdef.order)
        end = None if not limit else offset + int(limit)
        return found[offset:end]

    def _candidates(self, model: str, tree: dom.Tree, proven: set[int]) -> list[int] | None:
        """Narrow the scan before the full test, as a database's indexes would: by ids, by many2one
        target, and by tight filters on the record's own stored fields. Each is a conjunct of the domain,
        so every record left satisfies it: its leaf goes into ``proven`` and is not tested again."""
        leaves = _conjuncts(tree)
        table = self.world.tables[model]
        ids: list[int] | None = None
        for leaf in leaves:
            values = leaf.value if isinstance(leaf.value, list | tuple) else [leaf.value]
            if leaf.path == "id" and leaf.operator in ("=", "in"):
                ids = sorted({int(v) for v in values if v})
                break
            idx = self.world.index.get((model, leaf.path))
            if idx is not None and leaf.operator in ("=", "in") and all(v for v in values):
                found: set[int] = set()
                for v in values:
                    found |= idx.get(int(v), set())
                ids = sorted(found)
                break
        for leaf in leaves:
            first, _, rest = leaf.path.partition(".")
            link = self.world.index.get((model, first))
            if not rest or link is None or leaf.operator in dom.NEGATIVE:
                continue
            # A path through a many2one: the targets that match, then what points at them (a join).
            matched = Env(self.world, self.uid, {"active_test": False}, su=True).search(
                self.field(model, first).relation or "", [(rest, leaf.operator, leaf.value)], order="id")
            reached = {r for t in matched for r in link.get(t, ())}
            ids = sorted(reached) if ids is None else [r for r in ids if r in reached]
            proven.add(id(leaf))
        for leaf in leaves:
            f = None if "." in leaf.path or leaf.path == "id" else self.mdef(model).field(leaf.path)
            if f is None or f.related or f.compute or f.type not in _SCANNABLE or leaf.value in (None, False):
                continue
            pool = ids if ids is not None else list(table)
            name, op = leaf.path, leaf.operator
            if op in ("=", "in") and f.type != "boolean":
                targets = tuple(leaf.value) if isinstance(leaf.value, list | tuple) else (leaf.value,)
                if any(t is False or t is None or t == "" for t in targets):
                    continue
                wanted = dom._wanted(targets, f.type)
                ids = [r for r in pool if table[r].get(name) in wanted]
            elif op == "=" and f.type == "boolean":
                ids = [r for r in pool if bool(table[r].get(name)) is bool(leaf.value)]
            elif op in _COMPARE and f.type != "boolean":
                bound, cmp = dom._bound(leaf.value, f.type), _COMPARE[op]
                ids = [r for r in pool if (v := table[r].get(name)) is not None and cmp(v, bound)]
            else:
                continue
            proven.add(id(leaf))
        if ids is None:
            for leaf in leaves:
                if leaf.path == "id" and leaf.operator in (">", ">=") and leaf.value is not False:
                    bound_id = int(leaf.value)
                    ids = [r for r in table if r > bound_id or (leaf.operator == ">=" and r == bound_id)]
        return ids

    def _sort(self, model: str, ids: list[int], order: str) -> list[int]:
        table = self.world.tables[model]
        keys = [part.strip().split() for part in order.split(",") if part.strip()]
        if len(keys) == 1 and keys[0][0] == "id":
            return sorted(ids, reverse=len(keys[0]) > 1 and keys[0][1].lower() == "desc")
        for spec in reversed(keys):
            fname = spec[0]
            desc = len(spec) > 1 and spec[1].lower() == "desc"
            f = self.mdef(model).field(fname)
            if f is None:
                raise ValueErrorFault(f"Invalid \"order\" specified ({order}). A valid \"order\" specification is a "
                                      "comma-separated list of valid field names (optionally followed by asc/desc "
                                      "for the direction)")

            def key(rid: int, fname: str = fname) -> tuple[int, Any]:
                v = self.get(model, table[rid], fname)
                if isinstance(v, list):
                    v = v[0] if v else None
                if v is None or v is False:
                    return (1, 0)
                return (0, v)
            present = [r for r in ids if key(r)[0] == 0]
            missing = [r for r in ids if key(r)[0] == 1]
            present.sort(key=lambda r: key(r)[1], reverse=desc)
            # PostgreSQL puts NULLs last when ascending and first when descending.
            ids = missing + present if desc else present + missing
        return ids

    # -- read -------------------------------------------------------------------------------------

    def browse(self, model: str, ids: Sequence[int]) -> list[Record]:
        out = []
        for rid in ids:
            rec = self.rec(model, int(rid))
            self.check_visible(model, rec)
            out.append(rec)
        return out

    def default_fields(self, model: str) -> list[str]:
        mdef = self.mdef(model)
        return ["id", *[n for n, f in mdef.fields.items() if f.type != "binary"], "display_name", "write_date",
                "create_date"]

    def read(self, model: str, ids: Sequence[int], fields: Sequence[str] | None,
             load: str | None = "_classic_read") -> list[Record]:
        names = list(fields) if fields else self.default_fields(model)
        for name in names:
            self.field(model, name)
        out = []
        for rec in self.browse(model, ids):
            row: Record = {"id": rec["id"]}
            for name in names:
                if name != "id":
                    row[name] = self.export(model, rec, name, classic=load == "_classic_read")
            out.append(row)
        return out

    def export(self, model: str, rec: Record, fname: str, *, classic: bool) -> Any:
        """A value as Odoo's RPC sends it."""
        f = self.field(model, fname)
        value = self.get(model, rec, fname)
        if fname == "display_name":
            return self.display_name(model, rec)
        if f.type == "many2one":
            if not value:
                return False
            if classic:
                target = self.world.tables[f.relation or ""].get(value)
                return [value, self.display_name(f.relation or "", target) if target else ""]
            return value
        if f.type in ("one2many", "many2many"):
            return list(value or [])
        return to_rpc(f.type, value)

    def web_read(self, model: str, ids: Sequence[int], spec: Mapping[str, Any]) -> list[Record]:
        out = []
        for rec in self.browse(model, ids):
            out.append(self._web_record(model, rec, spec))
        return out

    def _web_record(self, model: str, rec: Record, spec: Mapping[str, Any]) -> Record:
        row: Record = {"id": rec["id"]}
        for fname, sub in (spec or {}).items():
            f = self.field(model, fname)
            sub_fields = (sub or {}).get("fields") if isinstance(sub, Mapping) else None
            if f.type == "many2one" and sub_fields is not None:
                target_id = self.get(model, rec, fname)
                table = self.world.tables[f.relation or ""]
                if not target_id or target_id not in table:
                    row[fname] = False
                else:
                    target = table[target_id]
                    row[fname] = self._web_record(f.relation or "", target, sub_fields) if \
                        self.sudo().visible(f.relation or "", target) else {"id": target_id}
            elif f.type in ("one2many", "many2many") and sub_fields is not None:
                children = self.get(model, rec, fname) or []
                table = self.world.tables[f.relation or ""]
                row[fname] = [self._web_record(f.relation or "", table[c], sub_fields) for c in children if c in table]
            else:
                row[fname] = self.export(model, rec, fname, classic=False)
        return row

    def fields_get(self, model: str, attributes: Sequence[str] | None) -> dict[str, dict[str, Any]]:
        mdef = self.mdef(model)
        out: dict[str, dict[str, Any]] = {}
        for name, f in {**mdef.fields, **_magic()}.items():
            desc = {"type": f.type, "string": f.string or name, "required": f.required,
                    "readonly": f.readonly or bool(f.compute), "store": f.store and not f.related,
                    "relation": f.relation or False, "searchable": True, "sortable": f.store}
            if f.type not in RELATIONAL:
                desc.pop("relation")
            out[name] = {k: v for k, v in desc.items() if not attributes or k in attributes}
        return out

    # -- create / write / unlink ------------------------------------------------------------------

    def create(self, model: str, vals: Mapping[str, Any]) -> int:
        from erp.sandbox import business

        mdef = self.mdef(model)
        vals = dict(vals)
        for key, value in self.context.items():
            if key.startswith("default_") and key[8:] not in vals and mdef.field(key[8:]) is not None:
                vals[key[8:]] = value
        for name in vals:
            self.field(model, name)
        if mdef.inherits:
            vals = self._delegate_create(model, mdef, vals)
        for name, f in mdef.fields.items():
            if name not in vals and f.default is not None and not f.related and not f.compute:
                vals[name] = f.default
        if mdef.company_field == "company_id" and "company_id" in mdef.fields and not vals.get("company_id") \
                and mdef.fields["company_id"].required:
            vals["company_id"] = self.company_id
        business.before_create(self, model, vals)
        rid = self.world.new_id(model)
        rec: Record = {"id": rid, "create_date": self.world.tx_now, "write_date": self.world.tx_now,
                       "create_uid": self.uid, "write_uid": self.uid}
        relational: dict[str, Any] = {}
        for name, value in vals.items():
            f = self.field(model, name)
            if f.type in ("one2many", "many2many") and not f.related:
                relational[name] = value
            elif f.related:
                continue
            elif f.compute:
                if name == "qty_received":
                    rec["qty_received_manual"] = to_python("float", value)
                continue
            else:
                rec[name] = self._convert(f, value, name, model)
        for name, f in mdef.fields.items():
            if f.required and not f.related and not f.compute and rec.get(name) in (None, "", False) \
                    and f.type != "boolean":
                raise _mandatory(mdef, name, f)
        self.world.raw_insert(model, rec)
        if not self.visible(model, rec):
            self.check_visible(model, rec)
        for name, commands in relational.items():
            self._apply_x2many(model, rec, name, commands)
        business.after_change(self, model, [rid], set(vals), created=True)
        return rid

    def _delegate_create(self, model: str, mdef: ModelDef, vals: dict[str, Any]) -> dict[str, Any]:
        assert mdef.inherits is not None
        parent_model, link = mdef.inherits
        parent_vals = {k: vals.pop(k) for k in list(vals)
                       if (f := mdef.fields.get(k)) is not None and f.related == (link, k)}
        if not vals.get(link):
            for shared in ("default_code", "active"):
                if shared in vals and shared in self.mdef(parent_model).fields:
                    parent_vals.setdefault(shared, vals[shared])
            vals[link] = self.create(parent_model, parent_vals)
        elif parent_vals:
            self.write(parent_model, [vals[link]], parent_vals)
        return vals

    def write(self, model: str, ids: Sequence[int], vals: Mapping[str, Any]) -> bool:
        from erp.sandbox import business

        mdef = self.mdef(model)
        for name in vals:
            self.field(model, name)
        recs = self.browse(model, ids)
        business.before_write(self, model, [r["id"] for r in recs], dict(vals))
        for rec in recs:
            for name, value in vals.items():
                f = self.field(model, name)
                if f.related:
                    self._write_related(model, rec, f, value)
                elif f.type in ("one2many", "many2many"):
                    self._apply_x2many(model, rec, name, value)
                elif f.compute:
                    if name == "qty_received":  # Odoo's inverse: manual received quantity
                        self.world.raw_set(model, rec["id"], "qty_received_manual", to_python("float", value))
                    continue
                else:
                    converted = self._convert(f, value, name, model)
                    if f.required and converted in (None, "") and f.type != "boolean":
                        raise _mandatory(mdef, name, f)
                    self.world.raw_set(model, rec["id"], name, converted)
            self.world.raw_set(model, rec["id"], "write_date", self.world.tx_now)
            self.world.raw_set(model, rec["id"], "write_uid", self.uid)
            if not self.visible(model, rec):
                self.check_visible(model, rec)
        business.after_change(self, model, [r["id"] for r in recs], set(vals), created=False)
        return True

    def _write_related(self, model: str, rec: Record, f: F, value: Any) -> None:
        assert f.related is not None
        if len(f.related) != 2:
            return
        link, target_field = f.related
        target = self.get(model, rec, link)
        if target:
            self.write(self.field(model, link).relation or "", [target], {target_field: value})

    def unlink(self, model: str, ids: Sequence[int]) -> bool:
        from erp.sandbox import business

        recs = self.browse(model, ids)
        business.before_unlink(self, model, [r["id"] for r in recs])
        for rec in recs:
            rid = rec["id"]
            if rid not in self.world.tables[model]:
                continue
            for f in self.mdef(model).fields.values():
                if f.type == "one2many" and not f.compute and f.relation and f.inverse:
                    children = self.world.referencing(f.relation, f.inverse, rid)
                    inverse = self.mdef(f.relation).fields[f.inverse]
                    if inverse.required:
                        self.sudo().unlink(f.relation, children)
                    else:
                        for child in children:
                            self.world.raw_set(f.relation, child, f.inverse, None)
            self.world.raw_delete(model, rid)
        return True

    def _apply_x2many(self, model: str, rec: Record, name: str, commands: Any) -> None:
        f = self.field(model, name)
        comodel = f.relation or ""
        if commands is False or commands is None:
            commands = [[5, 0, 0]]
        if commands and all(isinstance(c, int) and not isinstance(c, bool) for c in commands):
            commands = [[6, 0, list(commands)]]
        current: list[int] = list(self.get(model, rec, name) or [])
        for cmd in commands:
            if not isinstance(cmd, list | tuple) or not cmd:
                raise ValueErrorFault(f"Invalid command {cmd!r} for field {name!r} on {model!r}")
            op = int(cmd[0])
            if op == 0:
                child_vals = dict(cmd[2] or {})
                if f.type == "one2many":
                    child_vals[f.inverse or ""] = rec["id"]
                new_id = self.create(comodel, child_vals)
                current.append(new_id)
            elif op == 1:
                self.write(comodel, [int(cmd[1])], dict(cmd[2] or {}))
            elif op == 2:
                self.unlink(comodel, [int(cmd[1])])
                current = [c for c in current if c != int(cmd[1])]
            elif op == 3:
                if f.type == "one2many":
                    self.world.raw_set(comodel, int(cmd[1]), f.inverse or "", None)
                current = [c for c in current if c != int(cmd[1])]
            elif op == 4:
                target = int(cmd[1])
                self.rec(comodel, target)
                if f.type == "one2many":
                    self.world.raw_set(comodel, target, f.inverse or "", rec["id"])
                if target not in current:
                    current.append(target)
            elif op == 5:
                if f.type == "one2many":
                    for c in current:
                        self.world.raw_set(comodel, c, f.inverse or "", None)
                current = []
            elif op == 6:
                ids = [int(i) for i in (cmd[2] or [])]
                for target in ids:
                    self.rec(comodel, target)
                if f.type == "one2many":
                    for c in current:
                        if c not in ids:
                            self.world.raw_set(comodel, c, f.inverse or "", None)
                    for c in ids:
                        self.world.raw_set(comodel, c, f.inverse or "", rec["id"])
                current = ids
            else:
                raise ValueErrorFault(f"Invalid command {cmd!r} for field {name!r} on {model!r}")
        if f.type == "many2many" and not f.compute:
            self.world.raw_set(model, rec["id"], name, current)

    def _convert(self, f: F, value: Any, name: str, model: str) -> Any:
        if f.type == "many2one":
            target = value[0] if isinstance(value, list | tuple) and value else value
            if not target:
                return None
            target = int(target)
            if target not in self.world.tables[f.relation or ""]:
                raise ValueErrorFault(f"insert or update on table \"{model.replace('.', '_')}\" violates foreign key "
                                      f"constraint \"{model.replace('.', '_')}_{name}_fkey\"\nDETAIL:  Key ({name})="
                                      f"({target}) is not present in table \"{(f.relation or '').replace('.', '_')}\".")
            return target
        return to_python(f.type, value)


# (model, field name) → its definition: the schema is fixed, and searches look fields up per record.
_FIELDS: dict[tuple[str, str], F] = {}
# Stored types whose values compare directly with a leaf's coerced value.
_SCANNABLE = frozenset({"char", "text", "selection", "date", "datetime", "integer", "float", "monetary", "boolean"})
_COMPARE: dict[str, Any] = {"<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge}


def _prune(tree: dom.Tree, proven: set[int]) -> dom.Tree:
    """The tree with the conjuncts every candidate is known to satisfy replaced by True."""
    if isinstance(tree, dom.Leaf):
        return True if id(tree) in proven else tree
    if isinstance(tree, dom.Node) and tree.op == "&":
        return dom.Node("&", tuple(_prune(c, proven) for c in tree.children))
    return tree


def _conjuncts(tree: dom.Tree) -> list[dom.Leaf]:
    if isinstance(tree, dom.Leaf):
        return [tree]
    if isinstance(tree, dom.Node) and tree.op == "&":
        return [leaf for child in tree.children for leaf in _conjuncts(child)]
    return []


def _cheap_first(tree: dom.Tree) -> dom.Tree:
    """Within an AND, test the record's own fields before dotted paths (a join per record): the same
    answer, found sooner, as a database planner would."""
    if not isinstance(tree, dom.Node):
        return tree
    children = tuple(_cheap_first(c) for c in tree.children)
    if tree.op == "&":
        children = tuple(sorted(children, key=lambda c: 1 if isinstance(c, dom.Leaf) and "." in c.path
                                else 2 if isinstance(c, dom.Node) else 0))
    return dom.Node(tree.op, children)


def _magic() -> dict[str, F]:
    from erp.sandbox.schema import MAGIC

    return MAGIC


def _mentions(domain: Sequence[Any], fname: str) -> bool:
    return any(isinstance(t, list | tuple) and len(t) == 3 and str(t[0]).split(".")[0] == fname for t in domain)


def _mandatory(mdef: ModelDef, name: str, f: F) -> ValidationErrorFault:
    return ValidationErrorFault(
        "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another "
        "model requires the record being deleted. If possible, archive it instead.\n\n"
        f"Model: {mdef.description} ({mdef.name})\nField: {f.string or name} ({name})")


def to_python(ftype: str, value: Any) -> Any:
    """An incoming RPC value as stored: ``False`` is empty; numbers exact; dates parsed."""
    if ftype == "boolean":
        return bool(value)
    if value is False or value is None:
        return None
    if ftype in NUMERIC:
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueErrorFault(f"could not convert string to float: {value!r}") from exc
    if ftype == "integer":
        return int(value)
    if ftype == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError as exc:
            raise ValueErrorFault(f"time data {value!r} does not match format '%Y-%m-%d'") from exc
    if ftype == "datetime":
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        try:
            return dom.parse_datetime(str(value))
        except ValueError as exc:
            raise ValueErrorFault(f"time data {value!r} does not match format '{DT_FORMAT}'") from exc
    if ftype == "binary":
        text = value.decode() if isinstance(value, bytes) else str(value)
        try:
            base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueErrorFault("Incorrect padding: the file content is not base64") from exc
        return text
    if ftype == "json":
        return value
    return str(value)


def to_rpc(ftype: str, value: Any) -> Any:
    if ftype == "boolean":
        return bool(value)
    if value is None:
        return False
    if ftype in NUMERIC:
        return float(value)
    if ftype == "integer":
        return int(value)
    if ftype == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if ftype == "datetime":
        return value.strftime(DT_FORMAT) if isinstance(value, datetime) else str(value)
    return value
