"""The INTAKE_* settings of INTAKE_SPEC section 8, read from the environment (or the project's .env file).

The project folder (where `pyproject.toml` and `.venv/` are) anchors what is relative: its `.env`, and a
relative SQLite path such as the default `sqlite:///intake.db`. So `intake` finds the same database from
any working folder, the one `make run` uses in the project folder, instead of a new empty one elsewhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from dialogs.events import Config

__all__ = ["PROJECT_ROOT", "Settings", "sqlite_path"]


def _project_root() -> Path:
    source = Path(__file__).resolve().parent.parent
    if (source / "pyproject.toml").exists():
        return source
    venv = Path(sys.prefix).resolve()
    if venv.name == ".venv" and (venv.parent / "pyproject.toml").exists():
        return venv.parent
    return Path.cwd()


PROJECT_ROOT = _project_root()


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database or an in-memory one)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", env_file=PROJECT_ROOT / ".env", extra="ignore")

    database_url: str = "sqlite:///intake.db"
    telegram_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str | None = None  # default: derived from telegram_api_url
    staff_chat_id: int | None = None
    # Webhook mode when set: Telegram posts updates to this public HTTPS address.
    webhook_url: str | None = None
    webhook_secret: str | None = None  # checked against X-Telegram-Bot-Api-Secret-Token
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    poll_timeout: int = Field(default=10, ge=0, le=50)
    # How many processes serve this database. With one, replies a crash left half-sent are sent
    # again at once at start-up; with more, after a short lease (another worker may be sending them).
    workers: int = Field(default=1, ge=1)
    # What only the municipality knows (README: every default is to be checked before going live).
    social_services_phone: str = "0620-68 20 00"
    after_hours_phone: str = "112"  # socialjouren, evenings and weekends
    committee: str = "Socialnämnden, Sollefteå kommun"  # personuppgiftsansvarig nämnd
    dpo_contact: str = "0620-68 20 00"  # the data protection officer (dataskyddsombud): phone or e-mail
    signatory_role: str = "Socialchef"  # who signs the official letter (a role with mandate, per the delegation order)
    emergency_number: str = "112"
    retention_unfinished_days: int = 30
    retention_closed_years: int = 5  # years after the end of the year of a closed case's last event
    encryption_key: str | None = None  # Fernet keys, comma-separated, the current one first
    response_days: int = 3
    log_level: str = "INFO"
    # The staff web console (web/): where it listens, and the address staff reach it by when a
    # reverse proxy stands in front (used for printed links and the single sign-on redirect).
    web_listen: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=0, le=65535)
    web_public_url: str | None = None
    # Addresses whose X-Forwarded-For / X-Forwarded-Proto headers are believed (the reverse proxy).
    web_trusted_proxies: str = "127.0.0.1"
    # Single sign-on by OpenID Connect (Entra ID, Keycloak ...): offered on /login when all three are set.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_name: str = "kommunens inloggning"  # the button says "Logga in med {oidc_name}"

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_client_secret)

    @property
    def web_url(self) -> str:
        """Where staff open the console (printed by `make run`)."""
        if self.web_public_url:
            return self.web_public_url.rstrip("/")
        host = self.web_listen if self.web_listen not in ("0.0.0.0", "::", "") else "127.0.0.1"
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.web_port}"

    @field_validator("database_url")
    @classmethod
    def _anchored(cls, url: str) -> str:
        """A relative SQLite path is the project folder's, whatever the working folder."""
        path = sqlite_path(url)
        if path is None or path.is_absolute():
            return url
        return make_url(url).set(database=str(PROJECT_ROOT / path)).render_as_string(hide_password=False)

    @property
    def file_url(self) -> str:
        if self.telegram_file_url:
            return self.telegram_file_url
        base = self.telegram_api_url.rstrip("/")
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"

    def dialog_config(self, languages: tuple[str, ...]) -> Config:
        return Config(
            languages=languages,
            social_services_phone=self.social_services_phone,
            after_hours_phone=self.after_hours_phone,
            committee=self.committee,
            dpo_contact=self.dpo_contact,
            emergency_number=self.emergency_number,
            retention_days=self.retention_unfinished_days,
            response_days=self.response_days,
            staff_chat_id=str(self.staff_chat_id) if self.staff_chat_id else None,
        )
