"""Settings read from ``KHET_*`` environment variables and validated before start-up.

Deployment settings live in the environment; settings an office changes at run time
live in the database. A bad value stops start-up with a message that names the setting.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from enum import StrEnum
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

MIN_SECRET_KEY_LENGTH = 32
SUPPORTED_DATABASES = ("sqlite", "postgresql")
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
# The Computer Crime Act B.E. 2550 requires traffic data to be kept at least 90 days.
MIN_AUDIT_RETENTION_DAYS = 90


class ConfigError(Exception):
    """A setting is missing or invalid; the message names the setting."""


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


@dataclass(frozen=True)
class SmtpSettings:
    """Where e-mail goes: ``smtp://user:pass@host:587?starttls=1`` or ``smtps://...`` (TLS at once)."""

    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    tls: bool = False  # smtps: TLS from the first byte
    starttls: bool = False


@dataclass(frozen=True)
class Settings:
    env: Environment
    instance_path: Path
    database_url: str
    secret_key: str
    plugins: tuple[str, ...] | None  # None: every installed plugin may run
    redis_url: str | None
    idle_minutes: int
    audit_retention_days: int = MIN_AUDIT_RETENTION_DAYS
    smtp: SmtpSettings | None = None  # None: e-mail is logged, not sent
    mail_from: str | None = None
    base_url: str | None = None  # how people reach the site, for links in e-mail
    trusted_proxies: int = 0  # reverse proxies in front whose X-Forwarded-* headers are believed
    max_upload_mb: int = 20  # per uploaded file
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate every ``KHET_*`` setting."""
    environ = os.environ if environ is None else environ
    env = _parse_env(environ.get("KHET_ENV", Environment.DEVELOPMENT))
    instance_path = Path(environ.get("KHET_INSTANCE_PATH") or "instance").resolve()
    database_url = environ.get("KHET_DATABASE_URL") or f"sqlite:///{instance_path / 'khet.db'}"
    smtp = _smtp(environ.get("KHET_SMTP_URL") or None)
    return Settings(
        env=env,
        instance_path=instance_path,
        database_url=_check_database_url(database_url),
        secret_key=_secret_key(environ.get("KHET_SECRET_KEY"), env, instance_path),
        plugins=_parse_plugins(environ.get("KHET_PLUGINS")),
        redis_url=_check_redis_url(environ.get("KHET_REDIS_URL") or None),
        idle_minutes=_whole_number(environ, "KHET_IDLE_MINUTES", 30),
        audit_retention_days=_retention_days(environ),
        smtp=smtp,
        mail_from=_mail_from(environ.get("KHET_MAIL_FROM") or None, required=smtp is not None),
        base_url=_base_url(environ.get("KHET_BASE_URL") or None),
        trusted_proxies=_whole_number(environ, "KHET_TRUSTED_PROXIES", 0, minimum=0),
        max_upload_mb=_whole_number(environ, "KHET_MAX_UPLOAD_MB", 20),
    )


def _parse_env(value: str) -> Environment:
    try:
        return Environment(value.strip().lower())
    except ValueError:
        choices = ", ".join(e.value for e in Environment)
        raise ConfigError(f"KHET_ENV must be one of {choices}, not {value!r}") from None


def _check_database_url(url: str) -> str:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"KHET_DATABASE_URL is not a database URL: {url!r}") from None
    if parsed.get_backend_name() not in SUPPORTED_DATABASES:
        raise ConfigError(
            f"KHET_DATABASE_URL must point to SQLite or PostgreSQL, not {parsed.get_backend_name()!r}"
        )
    return url


def _secret_key(value: str | None, env: Environment, instance_path: Path) -> str:
    if value:
        if len(value) < MIN_SECRET_KEY_LENGTH or len(set(value)) < 10:
            raise ConfigError(
                f"KHET_SECRET_KEY is too weak: use at least {MIN_SECRET_KEY_LENGTH} random "
                "characters, e.g. the output of: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        return value
    if env is Environment.PRODUCTION:
        raise ConfigError("KHET_SECRET_KEY is required when KHET_ENV=production")
    return _development_secret(instance_path)


def _development_secret(instance_path: Path) -> str:
    """A random key generated once and kept in the instance folder, so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _parse_plugins(value: str | None) -> tuple[str, ...] | None:
    if value is None or not value.strip():
        return None
    names = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
    bad = [n for n in names if not n.isidentifier()]
    if bad:
        raise ConfigError(f"KHET_PLUGINS has an invalid plugin name: {bad[0]!r}")
    return names


def _check_redis_url(value: str | None) -> str | None:
    if value is not None and not value.startswith(REDIS_SCHEMES):
        raise ConfigError(f"KHET_REDIS_URL must start with redis://, rediss:// or unix://, not {value!r}")
    return value


SMTP_SCHEMES = {"smtp": False, "smtps": True}  # scheme -> TLS from the first byte
FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def _smtp(url: str | None) -> SmtpSettings | None:
    """Parse ``KHET_SMTP_URL``; messages never repeat the URL, which may hold a password."""
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
        raise ConfigError(
            "KHET_SMTP_URL must look like smtp://user:password@host:587?starttls=1 or smtps://host"
        )
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"starttls"}
    if unknown:
        raise ConfigError(f"KHET_SMTP_URL has an unknown option: {sorted(unknown)[0]!r} (only starttls)")
    starttls = FLAGS.get(query.get("starttls", ["0"])[-1].lower())
    if starttls is None:
        raise ConfigError("KHET_SMTP_URL: starttls must be 1 or 0")
    tls = SMTP_SCHEMES[parts.scheme]
    if tls and starttls:
        raise ConfigError("KHET_SMTP_URL: smtps already uses TLS; starttls is for smtp://")
    try:
        port = parts.port or (465 if tls else 587 if starttls else 25)
    except ValueError:
        raise ConfigError("KHET_SMTP_URL has an invalid port") from None
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=tls,
        starttls=starttls,
    )


def _mail_from(value: str | None, *, required: bool) -> str | None:
    if value is None:
        if required:
            raise ConfigError(
                "KHET_MAIL_FROM is required with KHET_SMTP_URL, e.g. 'Khet <khet@office.example>'"
            )
        return None
    __, address = parseaddr(value)
    local, at, domain = address.partition("@")
    if not (local and at and "." in domain):
        raise ConfigError(
            f"KHET_MAIL_FROM must be an e-mail address, e.g. 'Khet <khet@office.example>', not {value!r}"
        )
    return value


def _base_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"KHET_BASE_URL must be the site's address, e.g. https://khet.example.go.th, not {value!r}"
        )
    return value.rstrip("/")


def _retention_days(environ: Mapping[str, str]) -> int:
    days = _whole_number(environ, "KHET_AUDIT_RETENTION_DAYS", MIN_AUDIT_RETENTION_DAYS)
    if days < MIN_AUDIT_RETENTION_DAYS:
        raise ConfigError(
            f"KHET_AUDIT_RETENTION_DAYS must be at least {MIN_AUDIT_RETENTION_DAYS}: "
            "the Computer Crime Act requires traffic data to be kept that long"
        )
    return days


def _whole_number(environ: Mapping[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        number = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if number < minimum:
        raise ConfigError(
            f"{name} must be greater than zero" if minimum == 1 else f"{name} must be at least {minimum}"
        )
    return number
