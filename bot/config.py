"""Settings read once from the environment (and `.env`) into a frozen object.

A bad value stops start-up with one line naming the variable (`ConfigError`), the way Starlette's
`Config` does: nothing reads `os.environ` after this.
"""

from __future__ import annotations

import logging
import re
import secrets
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)


def _shipped(name: str) -> Path:
    """The demo `content/` or `locales/`: inside the installed package (`bot/_data/`, put there by the wheel
    build in setup.py), else in the source checkout next to `bot/` (an editable install, tests)."""
    here = Path(__file__).resolve().parent
    packaged = here / "_data" / name
    return packaged if packaged.is_dir() else here.parent / name


DEFAULT_CONTENT_DIR = _shipped("content")
DEFAULT_LOCALES_DIR = _shipped("locales")
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
KEY_FILE = Path(".psp-secret-key")


MIN_SECRET_LENGTH = 32


class ConfigError(Exception):
    """Configuration is unusable; the message is one line that names the variable."""


class Settings(BaseSettings):
    """Every setting of the service; field names are the environment variables in lower case."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True)

    psp_database_url: str = "sqlite+aiosqlite:///psp.db"
    psp_http_host: str = "127.0.0.1"
    psp_http_port: int = Field(default=8080, ge=1, le=65535)
    psp_public_url: str | None = None
    psp_secret_key: str | None = None
    psp_content_dir: Path = DEFAULT_CONTENT_DIR
    psp_locales_dir: Path = DEFAULT_LOCALES_DIR
    psp_default_program: str | None = None
    psp_pv_due_hours: int = Field(default=24, ge=1, le=24 * 15)
    psp_pv_review_hours: int = Field(default=24, ge=1, le=24 * 15)
    psp_pv_second_look_rate: float = Field(default=0.05, ge=0.0, le=1.0)
    psp_pv_second_look_weekly_min: int = Field(default=20, ge=0, le=10_000)
    psp_tick_seconds: float = Field(default=2.0, gt=0, le=60)
    psp_metrics_token: str | None = None

    telegram_bot_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_secret: str | None = None
    telegram_rate_per_chat: float = Field(default=1.0, gt=0)
    telegram_rate_global: float = Field(default=30.0, gt=0)

    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from: str | None = None
    twilio_api_url: str = "https://api.twilio.com"
    twilio_whatsapp_from: str | None = None
    twilio_rate: float = Field(default=1.0, gt=0)
    sms_max_segments: int = Field(default=3, ge=1, le=10)

    @field_validator("psp_database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not (value.startswith("sqlite+aiosqlite://") or value.startswith("postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("psp_secret_key")
    @classmethod
    def _secret_length(cls, value: str | None) -> str | None:
        if value and len(value) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"must be at least {MIN_SECRET_LENGTH} characters (e.g. python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))')"
            )
        return value or None

    @field_validator("psp_public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an absolute http(s) URL such as https://bot.example.org")
        return value.rstrip("/")

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_shape(cls, value: str | None) -> str | None:
        if value is not None and not _WEBHOOK_SECRET.match(value):
            raise ValueError("must be 1-256 characters of A-Z a-z 0-9 _ - (Telegram's rule)")
        return value

    @field_validator("twilio_from")
    @classmethod
    def _twilio_from(cls, value: str | None) -> str | None:
        if value is not None and not (
            re.match(r"^\+[1-9]\d{6,14}$", value) or re.match(r"^MG[0-9a-fA-F]{32}$", value)
        ):
            raise ValueError("must be an E.164 number (+15551234567) or a Messaging Service SID (MG...)")
        return value

    @field_validator("twilio_whatsapp_from")
    @classmethod
    def _whatsapp_from(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not (re.match(r"^whatsapp:\+[1-9]\d{6,14}$", value) or re.match(r"^MG[0-9a-fA-F]{32}$", value)):
            raise ValueError(
                "must be a WhatsApp sender (whatsapp:+15551234567) or a Messaging Service SID (MG...)"
            )
        return value

    @model_validator(mode="after")
    def _combinations(self) -> Settings:
        if bool(self.twilio_account_sid) != bool(self.twilio_auth_token):
            missing = "twilio_auth_token" if self.twilio_account_sid else "twilio_account_sid"
            raise ValueError(f"{missing.upper()} is required when the other Twilio credential is set")
        if self.twilio_whatsapp_from and not self.twilio_account_sid:
            raise ValueError(
                "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required with TWILIO_WHATSAPP_FROM"
            )
        if self.twilio_account_sid:
            if not self.twilio_from and not self.twilio_whatsapp_from:
                raise ValueError("TWILIO_FROM is required when Twilio credentials are set")
            if not self.psp_public_url:
                raise ValueError(
                    "PSP_PUBLIC_URL is required with Twilio credentials (inbound signatures cannot be "
                    "checked without it)"
                )
        if self.telegram_bot_token and self.psp_public_url and not self.telegram_webhook_secret:
            raise ValueError("TELEGRAM_WEBHOOK_SECRET is required in webhook mode (PSP_PUBLIC_URL is set)")
        return self

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_bot_token)

    @property
    def sms_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_from)

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_whatsapp_from)

    @property
    def is_sqlite(self) -> bool:
        return self.psp_database_url.startswith("sqlite")


def _one_line(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = [str(p) for p in err.get("loc", ()) if p != "__root__"]
    message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    if loc:
        return f"{loc[0].upper()}: {message}"
    return message


def load_settings(**overrides: Any) -> Settings:
    """Read settings once; raise ConfigError with one line naming the variable when something is wrong."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_one_line(exc)) from None
    if not settings.psp_secret_key:
        settings = settings.model_copy(update={"psp_secret_key": _local_secret_key()})
    return settings


def _local_secret_key() -> str:
    """The key in `.psp-secret-key`, created on first run: fine for a trial, not for production."""
    if KEY_FILE.exists():
        return KEY_FILE.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(32)
    try:
        KEY_FILE.write_text(key + "\n", encoding="utf-8")
        KEY_FILE.chmod(0o600)
    except OSError as exc:
        raise ConfigError(
            f"PSP_SECRET_KEY: not set, and no key file can be written here ({exc.strerror}): "
            "set PSP_SECRET_KEY"
        ) from None
    log.warning(
        "PSP_SECRET_KEY is not set: generated a key into %s; set PSP_SECRET_KEY in production", KEY_FILE
    )
    return key
