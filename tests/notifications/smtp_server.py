"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the mail backend tests.

It records every message it accepts (envelope and parsed email), can be told to answer
RCPT or DATA with a given code, can require AUTH LOGIN/PLAIN, and can offer STARTTLS
with a throw-away self-signed certificate. Import the fixtures into a test module:

    from tests.notifications.smtp_server import smtp_server  # noqa: F401
"""

import datetime
import email
import email.policy
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USERNAME = "mailer"
PASSWORD = "s3cret-password"


@dataclass
class ReceivedMessage:
    """One message the server accepted: the SMTP envelope and the parsed content."""

    mail_from: str
    rcpt_tos: list[str]
    mail_options: list[str]
    raw: bytes
    message: email.message.EmailMessage
    authenticated_as: str | None
    tls: bool


@dataclass
class RecordingHandler:
    """aiosmtpd handler: records messages, answers with a programmed reply if told to."""

    messages: list[ReceivedMessage] = field(default_factory=list)
    #: e.g. "450 4.2.1 Mailbox busy" or "550 5.1.1 No such user"; None accepts.
    rcpt_reply: str | None = None
    data_reply: str | None = None
    connections: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        raw = envelope.original_content or envelope.content
        login = session.auth_data.decode() if isinstance(session.auth_data, bytes) else None
        self.messages.append(
            ReceivedMessage(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                mail_options=list(envelope.mail_options),
                raw=raw,
                message=email.message_from_bytes(raw, policy=email.policy.default),
                authenticated_as=login,
                tls=session.ssl is not None,
            )
        )
        return "250 2.0.0 Message accepted for delivery"


def _authenticate(server, session, envelope, mechanism, auth_data):
    """Accept only USERNAME/PASSWORD; aiosmtpd keeps auth_data (the login) in the session."""
    if (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USERNAME.encode()
        and auth_data.password == PASSWORD.encode()
    ):
        return AuthResult(success=True, auth_data=auth_data.login)
    return AuthResult(success=False, handled=False)


def free_port() -> int:
    """A port nobody listens on right now (aiosmtpd's readiness check cannot use port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """Write a certificate and key valid for 127.0.0.1 and localhost; return their paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class SmtpServer:
    """A started aiosmtpd Controller plus its recording handler."""

    def __init__(self, *, auth: bool = False, cert: tuple[Path, Path] | None = None):
        self.handler = RecordingHandler()
        self.host = "127.0.0.1"
        self.port = free_port()
        self.ca_file = cert[0] if cert else None
        kwargs = {}
        if cert:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*cert)
            kwargs.update(tls_context=context, require_starttls=True)
        if auth:
            kwargs.update(
                authenticator=_authenticate,
                auth_required=True,
                # Without TLS the test server must still offer AUTH (smtplib needs it).
                auth_require_tls=cert is not None,
            )
        self.controller = Controller(self.handler, hostname=self.host, port=self.port, **kwargs)

    @property
    def messages(self) -> list[ReceivedMessage]:
        return self.handler.messages

    def answer_rcpt(self, reply: str | None) -> None:
        """Answer every RCPT with `reply` (e.g. "450 4.2.1 Try later"); None accepts."""
        self.handler.rcpt_reply = reply

    def answer_data(self, reply: str | None) -> None:
        """Answer every DATA with `reply`; None accepts."""
        self.handler.data_reply = reply

    def config(self, **overrides) -> dict:
        """SMTP_* settings pointing at this server, for SmtpBackend or app.config."""
        config = {
            "SMTP_HOST": self.host,
            "SMTP_PORT": self.port,
            "SMTP_SECURITY": "starttls" if self.ca_file else "none",
            "SMTP_USERNAME": "",
            "SMTP_PASSWORD": "",
            "OUTBOX_SEND_TIMEOUT_SECONDS": 5.0,
            "SMTP_CA_FILE": str(self.ca_file) if self.ca_file else "",
        }
        config.update(overrides)
        return config

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def smtp_server():
    """A plain SMTP server (no TLS, no AUTH), stopped after the test."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server_auth():
    """An SMTP server that requires AUTH (LOGIN or PLAIN) without TLS."""
    server = SmtpServer(auth=True).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def smtp_certificate(tmp_path_factory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture
def smtp_server_tls(smtp_certificate):
    """An SMTP server that requires STARTTLS, then AUTH, with a self-signed certificate."""
    server = SmtpServer(auth=True, cert=smtp_certificate).start()
    yield server
    server.stop()
