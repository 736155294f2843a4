"""Settings from ``PAYABLES_*`` environment variables (and an optional ``.env``), checked at start.

With nothing set, everything is embedded under ``PAYABLES_DATA_DIR`` (default ``./var``): SQLite, a
local-folder object store and workers in the same process. Production sets the database, storage and
broker URLs.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.errors import ConfigurationError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAYABLES_", env_file=".env", extra="ignore")

    data_dir: Path = Path("var")
    database_url: str | None = None
    database_password: str | None = None
    database_password_file: Path | None = None
    storage_url: str | None = None
    broker_url: str | None = None
    # S3/MinIO credentials: from the environment or from files (Docker/Kubernetes secrets).
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_access_key_file: Path | None = None
    s3_secret_key_file: Path | None = None
    s3_region: str | None = None
    s3_sse: bool = False

    max_upload_bytes: int = Field(50 * 1024 * 1024, gt=0)
    max_pages: int = Field(200, gt=0)
    max_pixels: int = Field(120_000_000, gt=0)
    ocr_page_timeout_s: float = Field(60.0, gt=0)
    ocr_languages: str = "eng+deu+fra+spa+ita+nld"

    stage_time_limit_s: int = Field(300, gt=0)
    stage_max_retries: int = Field(5, ge=0)
    worker_threads: int = Field(2, gt=0)
    broker_heartbeat_timeout_ms: int = Field(60_000, gt=0)
    # Per million broker commands, how many also hand a dead worker's unfinished messages back (Redis).
    # dramatiq's 1,000 means ~1,000 commands after the heartbeat timeout before a killed worker's
    # message runs again (minutes on a quiet system); 20,000 makes it seconds, for a Lua call per 50.
    broker_maintenance_chance: int = Field(20_000, ge=1, le=1_000_000)
    sweep_interval_s: float = Field(300.0, gt=0)
    sweep_stale_after_s: float = Field(900.0, gt=0)

    odoo_url: str | None = None
    odoo_db: str | None = None
    odoo_user: str | None = None
    odoo_api_key: str | None = None
    odoo_api_key_file: Path | None = None
    # JSON-RPC: measured 2.8x faster than XML-RPC on a full mirror sync (BENCHMARKS.md).
    odoo_protocol: str = "jsonrpc"
    odoo_timeout_s: float = Field(30.0, gt=0)
    mirror_max_age_s: int = Field(300, ge=0)

    policy_file: Path | None = None
    retention_file: Path | None = None
    secret_key: str | None = None
    secret_key_file: Path | None = None

    imap_host: str | None = None
    imap_port: int = 993
    imap_user: str | None = None
    imap_password: str | None = None
    imap_password_file: Path | None = None
    imap_security: str = "ssl"  # ssl | starttls | plain (plain only for loopback tests)
    imap_folder: str = "INBOX"
    imap_processed_folder: str = "Processed"

    @field_validator("database_url")
    @classmethod
    def _db_scheme(cls, v: str | None) -> str | None:
        if v and not v.startswith(("sqlite", "postgresql")):
            raise ValueError("must start with sqlite:// or postgresql+psycopg://")
        return v

    @field_validator("storage_url")
    @classmethod
    def _storage_scheme(cls, v: str | None) -> str | None:
        if v and not v.startswith(("s3://", "s3+http://", "file://")):
            raise ValueError("must be s3://HOST:PORT/BUCKET, s3+http://HOST:PORT/BUCKET or file:///PATH")
        return v

    @field_validator("broker_url")
    @classmethod
    def _broker_scheme(cls, v: str | None) -> str | None:
        if v and not v.startswith(("redis://", "rediss://", "amqp://", "amqps://", "stub://")):
            raise ValueError("must be redis://, rediss://, amqp:// or amqps://")
        return v

    @field_validator("odoo_protocol")
    @classmethod
    def _protocol(cls, v: str) -> str:
        if v not in ("xmlrpc", "jsonrpc", "json2"):
            raise ValueError("must be xmlrpc, jsonrpc or json2")
        return v

    @cached_property
    def db_url(self) -> str:
        if not self.database_url:
            return f"sqlite:///{(self.data_dir / 'payables.db').resolve()}"
        password = self.secret("database_password")
        if not password:
            return self.database_url
        from sqlalchemy.engine import make_url

        return make_url(self.database_url).set(password=password).render_as_string(hide_password=False)

    @cached_property
    def store_url(self) -> str:
        return self.storage_url or f"file://{(self.data_dir / 'objects').resolve()}"

    @property
    def embedded_broker(self) -> bool:
        return not self.broker_url or self.broker_url.startswith("stub://")

    def secret(self, name: str) -> str | None:
        """A secret from ``PAYABLES_<NAME>`` or, preferred in production, from ``PAYABLES_<NAME>_FILE``."""
        path = getattr(self, f"{name}_file", None)
        if path is not None:
            try:
                return Path(path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigurationError(f"cannot read PAYABLES_{name.upper()}_FILE {path}: {exc}") from exc
        value: str | None = getattr(self, name)
        return value

    def application_secret(self) -> str:
        """The key that signs sessions and encrypts TOTP secrets; generated once for the embedded default."""
        configured = self.secret("secret_key")
        if configured:
            return configured
        path = self.data_dir / "secret_key"
        if not path.exists():
            import secrets

            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()


def load_settings(**overrides: Any) -> Settings:
    """Read and validate settings; a mistake becomes one clear ConfigurationError naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"PAYABLES_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigurationError(f"invalid settings: {problems}") from exc
