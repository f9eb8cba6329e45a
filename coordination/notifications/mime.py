"""Build the MIME form of an outbox message (console and SMTP backends)."""

import base64
import hashlib
from email import policy as email_policy
from email.headerregistry import Address, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import format_datetime

from coordination.notifications.models import OutboxMessage


class _UnfoldedHeader(UnstructuredHeader):
    """A header written on one line as it is (ASCII, under 998 characters): the default
    policy would turn a long URL into RFC 2047 encoded words, which clients do not read
    back as a List-Unsubscribe link."""

    def fold(self, *, policy):
        """The header as one line."""
        return f"{self.name}: {self}{policy.linesep}"


_headers = HeaderRegistry()
_headers.map_to_type("list-unsubscribe", _UnfoldedHeader)
_headers.map_to_type("list-unsubscribe-post", _UnfoldedHeader)
POLICY = email_policy.default.clone(header_factory=_headers)


def build_mime(message: OutboxMessage) -> EmailMessage:
    """Return multipart/alternative (text, html, calendar), wrapped in mixed with attachments."""
    mime = EmailMessage(policy=POLICY)
    # Address objects, not formataddr strings: a name with accents and parentheses
    # ("Camille Martin (équipe InnovENT-E)") is then encoded so parsers read it back whole.
    mime["From"] = mailbox(message.from_name, message.from_email)
    mime["To"] = mailbox(message.to_name, message.to_email)
    if message.reply_to:
        mime["Reply-To"] = mailbox("", message.reply_to)
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(message.created_at)
    domain = message.from_email.rpartition("@")[2] or "localhost"
    mime["Message-ID"] = message_id(message, domain)
    # Vacation responders and auto-replies stay quiet for platform mail.
    mime["Auto-Submitted"] = "auto-generated"
    for name, value in (message.headers or {}).items():
        mime[name] = value
    mime.set_content(message.text_body)
    mime.add_alternative(message.html_body, subtype="html")
    if message.calendar_ics:
        mime.add_alternative(
            message.calendar_ics,
            subtype="calendar",
            params={"method": message.calendar_method or "PUBLISH"},
        )
    for attachment in message.attachments or []:
        maintype, _, subtype = attachment["content_type"].partition("/")
        mime.add_attachment(
            base64.b64decode(attachment["content_b64"]),
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment["filename"],
        )
    return mime


def mailbox(name: str | None, address: str) -> Address:
    """One mailbox for a header: the person's name (if known) and their address."""
    return Address(display_name=name or "", addr_spec=address)


def message_id(message: OutboxMessage, domain: str) -> str:
    """A Message-ID that stays the same across retries, short enough not to be folded."""
    # Stable: a retry after an ambiguous failure (timeout after DATA) carries the same id,
    # so mailbox providers that collapse duplicate Message-IDs show the message once.
    digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:16]
    return f"<outbox-{message.id}.{digest}@{domain}>"


def sendgrid_payload(message: OutboxMessage, sandbox: bool = False) -> dict:
    """Return the POST /v3/mail/send body for one message to one recipient."""
    to = {"email": message.to_email}
    if message.to_name:
        to["name"] = message.to_name
    sender = {"email": message.from_email}
    if message.from_name:
        sender["name"] = message.from_name
    # SendGrid refuses an empty value (minLength 1) with a 400: leave an empty part out.
    content = [
        {"type": content_type, "value": value}
        for content_type, value in (
            ("text/plain", message.text_body),
            ("text/html", message.html_body),
        )
        if value
    ]
    if message.calendar_ics:
        method = message.calendar_method or "PUBLISH"
        content.append({"type": f"text/calendar; method={method}", "value": message.calendar_ics})
    payload = {
        "personalizations": [
            {
                "to": [to],
                # custom_args belong here: the contract mistypes the top-level one.
                "custom_args": {
                    "outbox_id": str(message.id),
                    "idempotency_key": message.idempotency_key,
                },
            }
        ],
        "from": sender,
        "subject": message.subject,
        "content": content,
        "categories": [message.template.replace("/", "-")[:255]],
        "headers": {"Auto-Submitted": "auto-generated", **(message.headers or {})},
    }
    if message.reply_to:
        payload["reply_to"] = {"email": message.reply_to}
    if message.attachments:
        payload["attachments"] = [
            {
                "content": a["content_b64"],
                # An attachment type may not carry parameters (SendGrid answers 400).
                "type": a["content_type"].split(";")[0].strip(),
                "filename": a["filename"],
                "disposition": "attachment",
            }
            for a in message.attachments
        ]
    if sandbox:
        payload["mail_settings"] = {"sandbox_mode": {"enable": True}}
    return payload


def encode_attachment(data: bytes) -> str:
    """Base64 text of an attachment, as the outbox stores it."""
    return base64.b64encode(data).decode("ascii")
