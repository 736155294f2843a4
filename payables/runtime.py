"""The process's shared parts, built once from settings: database, object store, intake."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ingest.intake import Intake, IntakeLimits
from ingest.storage import ObjectStore, open_store
from models.db import make_engine, make_session_factory
from models.migrate import upgrade
from payables.settings import Settings, load_settings

if TYPE_CHECKING:
    from erp.client import OdooClient


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    store: ObjectStore
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings | None = None, *, migrate: bool = True) -> Runtime:
        settings = settings or load_settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        if migrate:
            upgrade(settings.db_url)
        engine = make_engine(settings.db_url)
        store = open_store(settings.store_url, access_key=settings.secret("s3_access_key"),
                           secret_key=settings.secret("s3_secret_key"), region=settings.s3_region,
                           sse=settings.s3_sse)
        return cls(settings, engine, make_session_factory(engine), store)

    @cached_property
    def odoo(self) -> OdooClient:
        """One Odoo client per process, shared by every stage: ``authenticate`` costs ~0.8 s, so its uid is
        kept. (cached_property creates it under a lock on Python 3.11.)"""
        from erp.client import OdooClient, OdooConfig

        return OdooClient(OdooConfig.from_settings(self.settings))

    @cached_property
    def intake(self) -> Intake:
        return Intake(self.sessions, self.store, IntakeLimits(max_bytes=self.settings.max_upload_bytes))

    def close(self) -> None:
        if "odoo" in self.__dict__:
            self.odoo.close()
        self.engine.dispose()
