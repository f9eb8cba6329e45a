"""Mail backends: console (.eml files), SMTP, SendGrid v3, and memory for tests."""

import http.client
import json
import logging
import re
import smtplib
import ssl
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.error import URLError

from flask import current_app
from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient

from coordination.notifications.mime import build_mime, sendgrid_payload
from coordination.notifications.models import OutboxMessage

log = logging.getLogger(__name__)

# Answers that will not succeed by sending again; any other 4xx may (a wrong host, a
# conflict) and is retried until the message is too old.
SENDGRID_PERMANENT = {400, 401, 403, 413}


class TemporaryDeliveryError(Exception):
    """The provider may accept the message later (rate limit, 5xx, network)."""

    def __init__(self, reason: str, retry_at: datetime | None = None):
        """Keep the reason and, if the provider named one, the time to try again."""
        super().__init__(reason)
        self.retry_at = retry_at


class RateLimited(TemporaryDeliveryError):
    """The provider refuses every message until `retry_at`: pause, do not count an attempt."""


class PermanentDeliveryError(Exception):
    """The provider refused the message for good (bad request, bad key, too large)."""


class MailBackend(Protocol):
    def send(self, message: OutboxMessage) -> str:
        """Send one message; return the provider's message id."""


class ConsoleBackend:
    """Writes each message as an .eml file and logs it: the development default."""

    def __init__(self, directory: str):
        """Write into `directory` (created on the first message)."""
        self.directory = Path(directory)

    def send(self, message: OutboxMessage) -> str:
        """Write the message to <directory>/<id>-<key>.eml; return the file name."""
        mime = _build_mime_or_fail(message)
        self.directory.mkdir(parents=True, exist_ok=True)
        safe_key = re.sub(r"[^A-Za-z0-9._-]+", "_", message.idempotency_key)[:80]
        path = self.directory / f"{message.id:06d}-{safe_key}.eml"
        path.write_bytes(bytes(mime))
        log.warning(
            "Email to %s: %s\n%s\n(saved as %s)",
            message.to_email,
            message.subject,
            message.text_body,
            path,
        )
        return path.name


class MemoryBackend:
    """Keeps sent messages in a list; for tests that are not about delivery itself."""

    def __init__(self):
        """Start with an empty list."""
        self.outbox: list[OutboxMessage] = []

    def send(self, message: OutboxMessage) -> str:
        """Append the message; return a fake provider id."""
        self.outbox.append(message)
        return f"memory-{message.id}"


class SmtpBackend:
    """Sends through an SMTP server, with STARTTLS or SSL and login if configured."""

    def __init__(self, config):
        """Read the SMTP_* settings from a mapping (the app config or a plain dict)."""
        self.host = config["SMTP_HOST"]
        self.port = config["SMTP_PORT"]
        self.security = config["SMTP_SECURITY"].lower()
        if self.security not in {"none", "starttls", "ssl"}:
            # A typo ("tls") must not quietly send passwords in clear text.
            raise RuntimeError(f"SMTP_SECURITY={self.security!r}: use none, starttls or ssl")
        self.username = config["SMTP_USERNAME"]
        self.password = config["SMTP_PASSWORD"]
        # Shorter than the outbox lease, so no other worker takes a message mid-send.
        self.timeout = config["OUTBOX_SEND_TIMEOUT_SECONDS"]
        # Optional: a private CA (or a test server's self-signed certificate) to trust.
        self.ca_file = config.get("SMTP_CA_FILE") or None

    def tls_context(self) -> ssl.SSLContext:
        """A verifying TLS context: smtplib's own default checks neither chain nor host."""
        return ssl.create_default_context(cafile=self.ca_file)

    def send(self, message: OutboxMessage) -> str:
        """Send one message over SMTP; return its Message-ID."""
        mime = _build_mime_or_fail(message)
        try:
            if self.security == "ssl":
                smtp = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=self.tls_context()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.security == "starttls":
                    smtp.starttls(context=self.tls_context())
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.ehlo_or_helo_if_needed()
                # Bodies may be 8bit (accented text): declare it where the server allows.
                options = ["BODY=8BITMIME"] if smtp.has_extn("8bitmime") else []
                smtp.send_message(mime, mail_options=options)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if all(400 <= code < 500 for code in codes):
                raise TemporaryDeliveryError(
                    f"SMTP recipient deferred: {error.recipients}"
                ) from error
            raise PermanentDeliveryError(f"SMTP recipient refused: {error.recipients}") from error
        except smtplib.SMTPResponseException as error:
            # Covers MAIL, DATA and AUTH answers: 4xx (incl. 454 auth) may pass later.
            reason = f"SMTP {error.smtp_code}: {error.smtp_error!r}"
            if 400 <= error.smtp_code < 500:
                raise TemporaryDeliveryError(reason) from error
            raise PermanentDeliveryError(reason) from error
        except smtplib.SMTPNotSupportedError as error:
            # The server lacks STARTTLS, AUTH or SMTPUTF8: resending will not help.
            raise PermanentDeliveryError(f"SMTP server: {error}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise TemporaryDeliveryError(f"SMTP connection: {error}") from error
        return mime["Message-ID"]


def _build_mime_or_fail(message: OutboxMessage):
    """Build the MIME form; a message that cannot be encoded will never go out."""
    try:
        return build_mime(message)
    except (ValueError, UnicodeError) as error:
        raise PermanentDeliveryError(f"cannot build the message: {error}") from error


class SendGridBackend:
    """Sends through SendGrid's v3 API (host configurable for a local stand-in)."""

    def __init__(self, api_key: str, host: str, sandbox: bool = False, timeout: float = 30):
        """Keep the key, the API host (e.g. a local stand-in) and the sandbox switch."""
        self.api_key = api_key
        self.host = host
        self.sandbox = sandbox
        self.timeout = timeout

    def send(self, message: OutboxMessage) -> str:
        """POST the message to /v3/mail/send; return SendGrid's X-Message-Id."""
        client = SendGridAPIClient(api_key=self.api_key, host=self.host)
        client.client.timeout = self.timeout
        try:
            response = client.client.mail.send.post(
                request_body=sendgrid_payload(message, self.sandbox)
            )
        except HTTPError as error:
            raise _sendgrid_error(error) from error
        except (URLError, OSError, http.client.HTTPException) as error:
            # Refused, reset, timed out, or a garbled answer (BadStatusLine, IncompleteRead).
            raise TemporaryDeliveryError(f"SendGrid unreachable: {error!r}") from error
        headers = response.headers
        return headers.get("X-Message-Id", "") if headers else ""


def _sendgrid_error(error: HTTPError) -> Exception:
    """Map an HTTP error answer to a temporary (429, 5xx) or permanent delivery error."""
    status = error.status_code
    detail = _sendgrid_error_text(error.body)
    reason = f"SendGrid {status}: {detail}"
    if status == 429:
        return RateLimited(reason, retry_at=_rate_limit_reset(error.headers))
    if status in SENDGRID_PERMANENT:
        return PermanentDeliveryError(reason)
    return TemporaryDeliveryError(reason)


def _sendgrid_error_text(body) -> str:
    """SendGrid's error messages from a response body, or the start of the raw body."""
    try:
        data = json.loads(body)
        return "; ".join(
            f"{e.get('field') or '-'}: {e.get('message')}" for e in data.get("errors", [])
        )
    except (TypeError, ValueError, AttributeError):
        return (body or b"")[:500].decode("utf-8", "replace") if isinstance(body, bytes) else ""


def _rate_limit_reset(headers) -> datetime | None:
    """The X-RateLimit-Reset time (epoch seconds) as an aware UTC datetime, if present."""
    value = headers.get("X-RateLimit-Reset") if headers else None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def get_backend() -> MailBackend:
    """Return the backend named by MAIL_BACKEND (one per app for the memory backend)."""
    config = current_app.config
    name = config["MAIL_BACKEND"]
    if name == "console":
        return ConsoleBackend(config["MAIL_CONSOLE_DIR"])
    if name == "smtp":
        return SmtpBackend(config)
    if name == "sendgrid":
        return SendGridBackend(
            config["SENDGRID_API_KEY"],
            config["SENDGRID_API_HOST"],
            config["SENDGRID_SANDBOX"],
            timeout=config["OUTBOX_SEND_TIMEOUT_SECONDS"],
        )
    if name == "memory":
        return current_app.extensions.setdefault("memory_mail_backend", MemoryBackend())
    raise RuntimeError(f"unknown MAIL_BACKEND {name!r}: console, smtp or sendgrid")
