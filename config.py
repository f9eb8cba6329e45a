"""Configuration read from the environment (see README, "Configuration")."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret_key() -> str:
    """A key generated once into instance/ so development sessions survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    APP_ENV = os.environ.get("APP_ENV", "development")
    DEBUG = False
    TESTING = False

    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'coordination.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    TIMEZONE = os.environ.get("TIMEZONE", "Europe/Paris")
    INSTANCE_DIR = INSTANCE_DIR

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = TIMEZONE
    LANGUAGES = ("fr", "en")

    # Sign-in
    LOGIN_LINK_MAX_AGE_MINUTES = int(os.environ.get("LOGIN_LINK_MAX_AGE_MINUTES", "30"))
    #: How long the sign-in link of an invitation (accounts page) works.
    INVITATION_LINK_MAX_AGE_HOURS = int(os.environ.get("INVITATION_LINK_MAX_AGE_HOURS", "72"))
    #: After a sign-in by link, how long one may set a new password without the old one.
    PASSWORD_CHANGE_LINK_WINDOW_MINUTES = int(
        os.environ.get("PASSWORD_CHANGE_LINK_WINDOW_MINUTES", "15")
    )
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_SIGN_IN = os.environ.get("RATELIMIT_SIGN_IN", "10 per minute;50 per hour")
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # Mail
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    MAIL_FROM = os.environ.get("MAIL_FROM", "plateforme@innovent-e.example")
    MAIL_FROM_NAME = os.environ.get("MAIL_FROM_NAME", "InnovENT-E")
    MAIL_CONSOLE_DIR = os.environ.get("MAIL_CONSOLE_DIR", str(INSTANCE_DIR / "outbox"))
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "none")  # none | starttls | ssl
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    #: A CA bundle to trust for the SMTP server's certificate (else the system's).
    SMTP_CA_FILE = os.environ.get("SMTP_CA_FILE", "")
    SENDGRID_API_KEY = os.environ.get("SENDGRID_API_KEY", "")
    SENDGRID_API_HOST = os.environ.get("SENDGRID_API_HOST", "https://api.sendgrid.com")
    SENDGRID_SANDBOX = _bool("SENDGRID_SANDBOX", False)
    #: The Event Webhook's verification key (Mail Settings > Event Webhook > Signed event
    #: webhook), base64 DER as SendGrid shows it, or PEM. Empty: every event is refused (403).
    SENDGRID_WEBHOOK_PUBLIC_KEY = os.environ.get("SENDGRID_WEBHOOK_PUBLIC_KEY", "")

    # A safety net for uploads; the application form checks its own, smaller limits and
    # keeps what was typed when a file is too large.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(64 * 1024 * 1024)))

    # Outbox delivery
    OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "50"))
    OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))
    #: One SMTP or SendGrid exchange; the lease must be longer, or a slow send is taken over.
    OUTBOX_SEND_TIMEOUT_SECONDS = float(os.environ.get("OUTBOX_SEND_TIMEOUT_SECONDS", "30"))
    #: A message still failing (temporarily) this long after it was queued is marked failed.
    OUTBOX_MAX_AGE_HOURS = float(os.environ.get("OUTBOX_MAX_AGE_HOURS", "48"))
    OUTBOX_BACKOFF_CAP_SECONDS = int(os.environ.get("OUTBOX_BACKOFF_CAP_SECONDS", "3600"))

    # Personal data: participants' details are blanked this long after their edition ends.
    PARTICIPANT_DATA_RETENTION_MONTHS = int(
        os.environ.get("PARTICIPANT_DATA_RETENTION_MONTHS", "24")
    )

    # Scheduler
    SCHEDULER_IN_APP = _bool("SCHEDULER_IN_APP", APP_ENV == "development")
    DELIVERY_INTERVAL_SECONDS = int(os.environ.get("DELIVERY_INTERVAL_SECONDS", "10"))
    DIGEST_HOUR = os.environ.get("DIGEST_HOUR", "07:30")

    # Planner runs (solves outside the web request)
    PLANNER_WORKERS = int(os.environ.get("PLANNER_WORKERS", "2"))
    PLANNER_POLL_SECONDS = int(os.environ.get("PLANNER_POLL_SECONDS", "5"))
    PLANNER_HEARTBEAT_SECONDS = float(os.environ.get("PLANNER_HEARTBEAT_SECONDS", "1"))
    PLANNER_STALE_SECONDS = int(os.environ.get("PLANNER_STALE_SECONDS", "60"))

    def __init__(self) -> None:
        secret = os.environ.get("SECRET_KEY")
        if not secret:
            if self.APP_ENV != "development":
                raise RuntimeError("SECRET_KEY must be set outside development (APP_ENV).")
            secret = _development_secret_key()
        self.SECRET_KEY = secret
        production = self.APP_ENV == "production"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", production)
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.PREFERRED_URL_SCHEME = "https" if self.BASE_URL.startswith("https") else "http"
        if self.OUTBOX_LEASE_SECONDS <= self.OUTBOX_SEND_TIMEOUT_SECONDS:
            raise RuntimeError(
                "OUTBOX_LEASE_SECONDS must be longer than OUTBOX_SEND_TIMEOUT_SECONDS, "
                "or a second worker may take a message that is still being sent."
            )


class TestConfig(Config):
    __test__ = False  # not a pytest test class, despite its name
    APP_ENV = "test"
    TESTING = True
    SECRET_KEY_FOR_TESTS = "test-secret-key"  # noqa: S105 (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SCHEDULER_IN_APP = False
    MAIL_BACKEND = "memory"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = True
    BASE_URL = "http://localhost"

    def __init__(self) -> None:
        os.environ.setdefault("SECRET_KEY", self.SECRET_KEY_FOR_TESTS)
        super().__init__()
