"""Settings read from the environment once, validated at start.

A wrong value stops the process with a message naming the variable; production refuses the development
defaults for secrets.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

import msgspec


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


DEV_S3_SECRET = "dev-secret-key-change-me"  # noqa: S105 - the local stack's key, refused in production


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the environment variable."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Every setting, with its environment variable name in upper case and its default."""

    environment: Environment = Environment.DEVELOPMENT
    log_level: str = "INFO"
    log_json: bool | None = None  # None: JSON lines in production, readable text elsewhere
    public_url: str = "http://127.0.0.1:8000"

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/exchange"
    database_pool_size: int = 10
    database_max_overflow: int = 10
    database_echo: bool = False

    redis_url: str = "redis://127.0.0.1:6379/0"

    s3_endpoint_url: str | None = None  # None: AWS S3 itself
    s3_access_key_id: str = "dev-access-key"
    s3_secret_access_key: str = DEV_S3_SECRET
    s3_bucket: str = "exchange-documents"
    s3_region: str = "us-east-1"
    s3_path_style: bool = True
    s3_timeout_seconds: float = 5.0
    cv_max_bytes: int = 5 * 1024 * 1024
    download_url_ttl_seconds: int = 300

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "Eurodyssey Exchange <no-reply@exchange.invalid>"

    session_ttl_hours: int = 12
    email_token_ttl_hours: int = 48
    password_reset_ttl_minutes: int = 60
    password_min_length: int = 10

    max_open_applications: int = 5  # applications an applicant may have open at once

    applicant_data_retention_months: int = 12  # unsuccessful applicants' CVs and profiles are purged after this
    search_cache_seconds: int = 10  # public offer search answers are fresh this long, then refreshed; 0: off
    search_cache_stale_seconds: int = 60  # ... and still served this long past it while their refresh is pending

    cors_allow_origins: tuple[str, ...] = ()
    frontend_dist: str | None = None  # folder of the built single-page app served at /

    def __post_init__(self) -> None:
        checks: list[tuple[str, bool, str]] = [
            (
                "DATABASE_URL",
                self.database_url.startswith("postgresql+asyncpg://"),
                "must start with postgresql+asyncpg://",
            ),
            (
                "REDIS_URL",
                self.redis_url.startswith(("redis://", "rediss://")),
                "must start with redis:// or rediss://",
            ),
            ("DATABASE_POOL_SIZE", self.database_pool_size >= 1, "must be at least 1"),
            ("SESSION_TTL_HOURS", self.session_ttl_hours >= 1, "must be at least 1"),
            ("APPLICANT_DATA_RETENTION_MONTHS", 1 <= self.applicant_data_retention_months <= 120, "must be 1 to 120"),
            ("SEARCH_CACHE_SECONDS", 0 <= self.search_cache_seconds <= 3600, "must be 0 to 3600"),
            ("SEARCH_CACHE_STALE_SECONDS", 0 <= self.search_cache_stale_seconds <= 3600, "must be 0 to 3600"),
            ("PASSWORD_MIN_LENGTH", self.password_min_length >= 8, "must be at least 8"),
            ("MAX_OPEN_APPLICATIONS", 1 <= self.max_open_applications <= 50, "must be between 1 and 50"),
            ("SMTP_PORT", 0 < self.smtp_port < 65536, "must be a TCP port"),
            ("CV_MAX_BYTES", 1024 <= self.cv_max_bytes <= 100 * 1024 * 1024, "must be between 1 KiB and 100 MiB"),
            ("DOWNLOAD_URL_TTL_SECONDS", 10 <= self.download_url_ttl_seconds <= 3600, "must be 10 to 3600"),
            (
                "LOG_LEVEL",
                self.log_level.upper() in {"DEBUG", "INFO", "WARNING", "ERROR"},
                "must be DEBUG, INFO, WARNING or ERROR",
            ),
        ]
        if self.environment is Environment.PRODUCTION:
            checks.append(
                (
                    "S3_SECRET_ACCESS_KEY",
                    self.s3_secret_access_key != DEV_S3_SECRET,
                    "the development default is refused in production",
                )
            )
            checks.append(
                (
                    "PUBLIC_URL",
                    self.public_url.startswith("https://"),
                    "must be an https:// URL in production",
                )
            )
        for name, ok, why in checks:
            if not ok:
                raise SettingsError(f"{name}: {why}")

    @property
    def json_logs(self) -> bool:
        return self.environment is Environment.PRODUCTION if self.log_json is None else self.log_json

    @property
    def session_ttl(self) -> timedelta:
        return timedelta(hours=self.session_ttl_hours)

    @property
    def email_token_ttl(self) -> timedelta:
        return timedelta(hours=self.email_token_ttl_hours)

    @property
    def password_reset_ttl(self) -> timedelta:
        return timedelta(minutes=self.password_reset_ttl_minutes)


def _coerce(field: msgspec.structs.FieldInfo, raw: str) -> Any:
    """Turn an environment string into the field's type; tuples are comma separated."""
    if "tuple" in repr(field.type):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if raw == "" and "None" in repr(field.type):
        return None
    return raw


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from the environment (or the mapping given); raise SettingsError naming the variable."""
    source = os.environ if env is None else env
    values: dict[str, Any] = {}
    for field in msgspec.structs.fields(Settings):
        name = field.name.upper()
        if name in source:
            values[field.name] = _coerce(field, source[name])
    try:
        return msgspec.convert(values, Settings, strict=False)
    except msgspec.ValidationError as exc:
        # msgspec names the path as `$.field`: give the environment variable instead.
        message = str(exc)
        for field in msgspec.structs.fields(Settings):
            if f"`$.{field.name}`" in message:
                raise SettingsError(f"{field.name.upper()}: {message.split(' - at ', maxsplit=1)[0]}") from None
        raise SettingsError(message) from None
    except SettingsError:
        raise


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
