"""Backup and restore of the database and the object store's metadata, portable across SQLite and
PostgreSQL.

A backup is one gzip'd tar: ``manifest.json`` (format, schema revision, row counts, a SHA-256 of every
member), ``tables/<table>.jsonl`` (every row of every table, ids kept), ``objects.jsonl`` (each document's
object key, size and SHA-256) and, with ``with_objects``, the objects themselves. MinIO in production keeps
the bytes with its own versioning and replication, so by default the backup carries their inventory, and
restore reports any object the store no longer has.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select, text

from ingest.storage import ObjectStore
from models.base import Money, UTCDateTime
from models.errors import PayablesError, StateConflict
from models.migrate import current
from models.schema import metadata

FORMAT = "payables-backup/1"
BATCH = 1000


class BackupError(PayablesError):
    code = "backup"


@dataclass
class BackupReport:
    tables: dict[str, int] = field(default_factory=dict)
    objects: int = 0
    missing_objects: list[str] = field(default_factory=list)


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decoder(table: Table) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in table.columns:
        if isinstance(col.type, Money):
            out[col.name] = lambda v: None if v is None else Decimal(v)
        elif isinstance(col.type, UTCDateTime):
            out[col.name] = lambda v: None if v is None else datetime.fromisoformat(v).astimezone(UTC)
    return out


def backup(engine: Engine, store: ObjectStore, out: Path, *, with_objects: bool = False) -> BackupReport:
    report = BackupReport()
    members: dict[str, bytes] = {}
    keys: list[str] = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            lines = [json.dumps({k: _encode(v) for k, v in row.items()}, sort_keys=True) for row in rows]
            members[f"tables/{table.name}.jsonl"] = ("\n".join(lines) + ("\n" if lines else "")).encode()
            report.tables[table.name] = len(lines)
        keys = [k for k in conn.execute(text("SELECT object_key FROM documents WHERE object_key IS NOT NULL"))
                .scalars()]
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    inventory = []
    for key in sorted(set(keys)):
        info = store.stat(key)
        inventory.append(json.dumps({"key": key, "size": info.size, "sha256": info.sha256,
                                     "content_type": info.content_type}))
        if with_objects:
            members[f"objects/{key}"] = store.get(key)
    members["objects.jsonl"] = ("\n".join(inventory) + "\n").encode()
    report.objects = len(inventory)
    manifest = {
        "format": FORMAT, "revision": revision, "created_at": datetime.now(UTC).isoformat(),
        "tables": report.tables, "objects": report.objects, "with_objects": with_objects,
        "sha256": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with tarfile.open(tmp, "w:gz") as tar:
        for name, data in [("manifest.json", json.dumps(manifest, indent=2).encode()), *members.items()]:
            entry = tarfile.TarInfo(name)
            entry.size = len(data)
            entry.mtime = 0
            tar.addfile(entry, io.BytesIO(data))
    tmp.replace(out)
    return report


def restore(engine: Engine, store: ObjectStore, archive: Path, db_url: str) -> BackupReport:
    """Load a backup into an empty, migrated database; refuses to overwrite a system that has data."""
    members = _read_archive(archive)
    manifest = json.loads(members.pop("manifest.json"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a payables backup (format {manifest.get('format')!r})")
    for name, digest in manifest["sha256"].items():
        if hashlib.sha256(members.get(name, b"")).hexdigest() != digest:
            raise BackupError(f"{archive} is damaged: {name} does not match its checksum")
    if manifest["revision"] != current(db_url):
        raise BackupError(f"the backup is of schema {manifest['revision']}; the database is at "
                          f"{current(db_url)}: run `payables db upgrade` to the same revision first")
    report = BackupReport()
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            if conn.execute(select(func.count()).select_from(table)).scalar():
                raise StateConflict(f"table {table.name} is not empty: restore only into an empty system")
        for table in metadata.sorted_tables:
            decode = _decoder(table)
            raw = members.get(f"tables/{table.name}.jsonl", b"").decode()
            rows = [json.loads(line) for line in raw.splitlines() if line]
            for row in rows:
                for name, fn in decode.items():
                    if name in row:
                        row[name] = fn(row[name])
            for start in range(0, len(rows), BATCH):
                conn.execute(insert(table), rows[start:start + BATCH])
            report.tables[table.name] = len(rows)
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
    for line in members.get("objects.jsonl", b"").decode().splitlines():
        if not line:
            continue
        entry = json.loads(line)
        report.objects += 1
        blob = members.get(f"objects/{entry['key']}")
        if blob is not None and not store.exists(entry["key"]):
            store.put_at(entry["key"], blob, content_type=entry["content_type"])
        if not store.exists(entry["key"]):
            report.missing_objects.append(entry["key"])
    return report


def _reset_sequences(conn: Any) -> None:
    for table in metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) == 1:  # tables keyed by Odoo ids have no sequence, and the query says so
            seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                               {"t": table.name, "c": pk[0].name}).scalar()
            if seq:
                conn.execute(text(f"SELECT setval('{seq}', COALESCE((SELECT MAX({pk[0].name}) FROM "
                                  f"{table.name}), 0) + 1, false)"))


def _read_archive(path: Path) -> dict[str, bytes]:
    try:
        with tarfile.open(path, "r:gz") as tar:
            out: dict[str, bytes] = {}
            for member in tar.getmembers():
                if not member.isfile():
                    continue
                fh = tar.extractfile(member)
                if fh is not None:
                    out[member.name] = fh.read()
            return out
    except (OSError, EOFError, tarfile.TarError) as exc:
        raise BackupError(f"cannot read the backup {path}: {exc}") from exc
