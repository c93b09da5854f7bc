"""Process settings, read from ``SMALLWINS_*`` environment variables by the composition roots."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import msgspec

from shared.contracts.vocabulary import CONTENT_WARNINGS

_PREFIX_RE = re.compile(r"^[a-z][a-z0-9]{0,15}$")
SMTP_SECURITY = ("none", "starttls", "tls")
LOCAL_HOST = "127.0.0.1"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None
    nats_url: str | None = None
    data_dir: Path = Path(".var")
    nats_prefix: str = "sw"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    postgres_port: int = 54329
    nats_port: int = 42229
    secret_key: str = ""
    request_timeout: float = 5.0
    metrics_port: int = 0  # a service serves Prometheus metrics here (0: not served); web always has /metrics
    cookie_secure: bool = False
    log_level: str = "INFO"
    public_url: str = ""
    stories_public: bool = False  # published stories readable without an account, with an Atom feed
    stories_trust_after: int = 3  # approved posts (less 3 per removal) before a member publishes directly
    stories_hide_weight: float = 3.0  # report weight that hides a post until a moderator decides
    stories_claim_minutes: int = 15  # how long a moderator's claim on a queue item lasts
    # warnings blurred for a reader who has not chosen otherwise (comma-separated)
    stories_protected_warnings: str = "suicide,self-harm"
    key_file: Path | None = None  # the key-encryption keys (default: secrets/keys.json in the data folder)
    trusted_proxies: str = ""  # addresses/networks (comma-separated) whose X-Forwarded-For web believes
    metrics_token: str = ""  # web serves /metrics to 'Authorization: Bearer <token>' only (empty: not at all)
    signups_per_hour: int = 20  # sign-ups from one client address (0: no limit)
    address_writes_per_minute: int = 300  # writes on /api from one client address (0: no limit)
    member_writes_per_minute: int = 60  # writes on /api by one signed-in member (0: no limit)
    mail_links_per_hour: int = 10  # "forgot my password" and "send the link again" from one client address
    # Mail (shared/mail/, ADR 28). No host: the local mail catcher `smallwins up` starts on smtp_port.
    smtp_host: str = ""
    smtp_port: int = 42230
    smtp_security: str = "none"  # "none", "starttls" or "tls" (implicit TLS, usually port 465)
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = "Small Wins <hello@small-wins.invalid>"
    # Notification mail (ADR 31): how long an e-mail about an item waits (skipped if read first),
    # and at most how many such e-mails a member gets a day.
    notification_mail_delay_s: int = 300
    notification_mails_per_day: int = 5
    # Erasure (ADR 34): days between a member's request and the erasure; the account is locked
    # meanwhile, and signing in offers to keep it.
    erasure_grace_days: int = 7

    def __post_init__(self) -> None:
        if unknown := [w for w in self.protected_warnings if w not in CONTENT_WARNINGS]:
            raise ValueError(
                f"SMALLWINS_STORIES_PROTECTED_WARNINGS names an unknown warning {unknown[0]!r};"
                f" choose from {', '.join(CONTENT_WARNINGS)}"
            )
        if self.smtp_security not in SMTP_SECURITY:
            raise ValueError(
                f"SMALLWINS_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)} (got {self.smtp_security!r})"
            )
        if self.erasure_grace_days < 0:
            raise ValueError(f"SMALLWINS_ERASURE_GRACE_DAYS must be 0 or more (got {self.erasure_grace_days})")
        if not _PREFIX_RE.match(self.nats_prefix):
            raise ValueError(
                "SMALLWINS_NATS_PREFIX must be 1-16 lowercase letters or digits, "
                f"starting with a letter (got {self.nats_prefix!r})"
            )

    @property
    def protected_warnings(self) -> tuple[str, ...]:
        """The content warnings blurred for a reader who has not chosen otherwise."""
        return tuple(w for w in (part.strip() for part in self.stories_protected_warnings.split(",")) if w)

    def servers(self) -> tuple[str, str]:
        """The PostgreSQL and NATS URLs, which a process needs once it is past start-up."""
        if not self.database_url or not self.nats_url:
            raise ValueError("Set SMALLWINS_DATABASE_URL and SMALLWINS_NATS_URL, or use `smallwins up`.")
        return self.database_url, self.nats_url

    @property
    def keys_path(self) -> Path:
        """The key file, which lives outside the database (docs/adr/0021-keys-a-dump-cannot-open.md)."""
        return self.key_file or self.data_dir / "secrets" / "keys.json"

    @property
    def mail_catcher(self) -> bool:
        """No SMTP server named: mail goes to the local catcher on ``smtp_port`` (``smallwins up``)."""
        return not self.smtp_host

    @property
    def smtp_server(self) -> tuple[str, int]:
        return self.smtp_host or LOCAL_HOST, self.smtp_port

    @property
    def mail_dir(self) -> Path:
        """Where the local mail catcher keeps what it caught, one ``.eml`` file per message."""
        return self.data_dir / "mail"

    @property
    def url(self) -> str:
        return self.public_url or f"http://{self.http_host}:{self.http_port}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, str] = {}
        for field in msgspec.structs.fields(cls):
            key = f"SMALLWINS_{field.name.upper()}"
            if key in env and env[key] != "":
                values[field.name] = env[key]
        try:
            return msgspec.convert(values, cls, strict=False, dec_hook=_dec_hook)
        except msgspec.ValidationError as exc:
            raise ValueError(f"Bad setting: {exc}") from exc

    def with_(self, **changes: object) -> Settings:
        return msgspec.structs.replace(self, **changes)


def _dec_hook(kind: type, value: object) -> object:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError(kind)
