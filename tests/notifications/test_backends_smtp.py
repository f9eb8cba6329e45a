"""The SMTP backend against a real SMTP server (aiosmtpd on 127.0.0.1)."""

from datetime import timedelta

import pytest

from coordination.notifications.backends import PermanentDeliveryError, SmtpBackend
from coordination.notifications.mime import encode_attachment
from coordination.notifications.models import MessageStatus
from coordination.notifications.services import Attachment, deliver_due_messages, queue_email
from tests.notifications import smtp_server as fixtures
from tests.notifications.smtp_server import PASSWORD, USERNAME, free_port

# The server fixtures live beside the server; bring them into this module.
smtp_certificate = fixtures.smtp_certificate
smtp_server = fixtures.smtp_server
smtp_server_auth = fixtures.smtp_server_auth
smtp_server_tls = fixtures.smtp_server_tls

# aiosmtpd warns about AUTH without TLS: that is the point of the smtp_server_auth fixture.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//InnovENT-E//Tests//FR\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:stop-42@innovent-e.example\r\nDTSTAMP:20260302T100000Z\r\n"
    "DTSTART:20260605T070000Z\r\nSEQUENCE:0\r\nSUMMARY:Étape à Besançon\r\n"
    "ORGANIZER:mailto:organisatrice@partenaire.example\r\n"
    "ATTENDEE;CN=Léa Dupont;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:"
    "mailto:lea@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
PDF = b"%PDF-1.4\n% not a real document\n"


def queue(now, key="test:smtp:1", to_email="Lea@Example.org", **fields):
    """Queue the platform's test message to one recipient, due at `now`."""
    fields.setdefault("to_name", "Léa Dupont")
    return queue_email(
        key=key,
        template="notifications/test",
        to_email=to_email,
        context={"backend": "smtp", "now": now},
        now=now,
        **fields,
    )


def invitation(now, **fields):
    """A message with a calendar part and two attachments (an .ics copy and a PDF)."""
    return queue(
        now,
        reply_to="organisatrice@partenaire.example",
        calendar_method="REQUEST",
        calendar_ics=ICS,
        attachments=[
            Attachment(
                "invitation.ics",
                "text/calendar; method=REQUEST; charset=utf-8",
                encode_attachment(ICS.encode()),
            ),
            Attachment("programme.pdf", "application/pdf", encode_attachment(PDF)),
        ],
        **fields,
    )


def text(part) -> str:
    """A text part's content with the wire's CRLF line ends turned back into LF."""
    return part.get_content().replace("\r\n", "\n")


def test_smtp_delivers_headers_and_text_html_alternative(app, db_session, now, smtp_server):
    message = queue(now, reply_to="organisatrice@partenaire.example")

    report = deliver_due_messages(now, backend=SmtpBackend(smtp_server.config()), clock=lambda: now)

    assert report.sent == [message.id]
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert message.sent_at == now
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.mail_from == "plateforme@innovent-e.example"
    assert received.rcpt_tos == ["lea@example.org"]
    # The body may be 8bit (accents) and the server offers 8BITMIME: it is declared.
    assert "BODY=8BITMIME" in received.mail_options
    mail = received.message
    assert message.provider_message_id == mail["Message-ID"]
    assert mail["From"] == "InnovENT-E <plateforme@innovent-e.example>"
    assert mail["To"] == "Léa Dupont <lea@example.org>"
    assert mail["Reply-To"] == "organisatrice@partenaire.example"
    assert mail["Subject"] == message.subject
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Date"] == "Mon, 02 Mar 2026 10:00:00 +0000"
    assert mail.get_content_type() == "multipart/alternative"
    parts = list(mail.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert [p.get_content_charset() for p in parts] == ["utf-8", "utf-8"]
    assert text(parts[0]) == message.text_body
    # set_content ends every text part with a newline.
    assert text(parts[1]) == message.html_body + "\n"


def test_smtp_invitation_has_calendar_alternative_inside_mixed(app, db_session, now, smtp_server):
    message = invitation(now)

    deliver_due_messages(now, backend=SmtpBackend(smtp_server.config()))

    assert message.status == MessageStatus.SENT
    mail = smtp_server.messages[0].message
    assert mail.get_content_type() == "multipart/mixed"
    alternative, ics_copy, pdf = mail.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html, calendar = alternative.iter_parts()
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_charset() == "utf-8"
    assert calendar.get_content_disposition() is None
    # On the wire every line ends in CRLF, as RFC 5545 wants.
    assert calendar.get_content() == ICS
    assert ics_copy.get_content_type() == "text/calendar"
    assert ics_copy.get_param("method") == "REQUEST"
    assert ics_copy.get_content_disposition() == "attachment"
    assert ics_copy.get_filename() == "invitation.ics"
    assert ics_copy.get_payload(decode=True) == ICS.encode()
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == "programme.pdf"
    assert pdf.get_content() == PDF


def test_smtp_rcpt_450_puts_message_back_with_backoff(app, db_session, now, smtp_server):
    message = queue(now)
    smtp_server.answer_rcpt("450 4.2.1 Mailbox busy")

    report = deliver_due_messages(now, backend=SmtpBackend(smtp_server.config()), clock=lambda: now)

    assert report.retrying == [message.id]
    assert message.status == MessageStatus.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at == now + timedelta(seconds=30)
    assert message.lease_expires_at is None
    assert message.last_error == (
        "SMTP recipient deferred: {'lea@example.org': (450, b'4.2.1 Mailbox busy')}"
    )
    assert smtp_server.messages == []


def test_smtp_rcpt_450_then_accepted_after_backoff(app, db_session, now, smtp_server):
    message = queue(now)
    backend = SmtpBackend(smtp_server.config())
    smtp_server.answer_rcpt("450 4.2.1 Mailbox busy")
    deliver_due_messages(now, backend=backend, clock=lambda: now)
    smtp_server.answer_rcpt(None)

    early = deliver_due_messages(now + timedelta(seconds=29), backend=backend)
    later = deliver_due_messages(now + timedelta(seconds=30), backend=backend)

    assert early.total == 0
    assert later.sent == [message.id]
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert message.last_error is None
    assert len(smtp_server.messages) == 1


def test_smtp_rcpt_550_fails_with_the_error(app, db_session, now, smtp_server):
    message = queue(now)
    smtp_server.answer_rcpt("550 5.1.1 No such user")

    report = deliver_due_messages(now, backend=SmtpBackend(smtp_server.config()), clock=lambda: now)

    assert report.failed == [message.id]
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1
    assert message.last_error == (
        "SMTP recipient refused: {'lea@example.org': (550, b'5.1.1 No such user')}"
    )


def test_smtp_data_451_retries(app, db_session, now, smtp_server):
    message = queue(now)
    smtp_server.answer_data("451 4.3.0 Local error in processing")

    report = deliver_due_messages(now, backend=SmtpBackend(smtp_server.config()), clock=lambda: now)

    assert report.retrying == [message.id]
    assert message.status == MessageStatus.PENDING
    assert message.next_attempt_at == now + timedelta(seconds=30)
    assert message.last_error == "SMTP 451: b'4.3.0 Local error in processing'"


def test_smtp_data_554_fails(app, db_session, now, smtp_server):
    message = queue(now)
    smtp_server.answer_data("554 5.7.1 Message rejected as spam")

    report = deliver_due_messages(now, backend=SmtpBackend(smtp_server.config()), clock=lambda: now)

    assert report.failed == [message.id]
    assert message.status == MessageStatus.FAILED
    assert message.last_error == "SMTP 554: b'5.7.1 Message rejected as spam'"


def test_smtp_connection_refused_retries(app, db_session, now):
    message = queue(now)
    config = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": free_port(),
        "SMTP_SECURITY": "none",
        "SMTP_USERNAME": "",
        "SMTP_PASSWORD": "",
        "OUTBOX_SEND_TIMEOUT_SECONDS": 5.0,
    }

    report = deliver_due_messages(now, backend=SmtpBackend(config), clock=lambda: now)

    assert report.retrying == [message.id]
    assert message.status == MessageStatus.PENDING
    assert message.next_attempt_at == now + timedelta(seconds=30)
    assert message.last_error == "SMTP connection: [Errno 111] Connection refused"


def test_smtp_auth_login_is_used_when_configured(app, db_session, now, smtp_server_auth):
    message = queue(now)
    config = smtp_server_auth.config(SMTP_USERNAME=USERNAME, SMTP_PASSWORD=PASSWORD)

    deliver_due_messages(now, backend=SmtpBackend(config))

    assert message.status == MessageStatus.SENT
    assert smtp_server_auth.messages[0].authenticated_as == USERNAME


def test_smtp_auth_wrong_password_fails(app, db_session, now, smtp_server_auth):
    message = queue(now)
    config = smtp_server_auth.config(SMTP_USERNAME=USERNAME, SMTP_PASSWORD="wrong")

    deliver_due_messages(now, backend=SmtpBackend(config))

    assert message.status == MessageStatus.FAILED
    assert message.last_error == "SMTP 535: b'5.7.8 Authentication credentials invalid'"
    assert smtp_server_auth.messages == []


def test_smtp_auth_required_but_not_configured_fails(app, db_session, now, smtp_server_auth):
    message = queue(now)

    deliver_due_messages(now, backend=SmtpBackend(smtp_server_auth.config()))

    assert message.status == MessageStatus.FAILED
    assert message.last_error == "SMTP 530: b'5.7.0 Authentication required'"


def test_smtp_starttls_with_trusted_certificate_delivers(app, db_session, now, smtp_server_tls):
    message = queue(now)
    config = smtp_server_tls.config(SMTP_USERNAME=USERNAME, SMTP_PASSWORD=PASSWORD)

    deliver_due_messages(now, backend=SmtpBackend(config))

    assert message.status == MessageStatus.SENT
    received = smtp_server_tls.messages[0]
    assert received.tls is True
    assert received.authenticated_as == USERNAME


def test_smtp_starttls_with_untrusted_certificate_does_not_send(
    app, db_session, now, smtp_server_tls
):
    message = queue(now)
    # No CA file: the self-signed certificate must be refused, not silently accepted.
    config = smtp_server_tls.config(SMTP_USERNAME=USERNAME, SMTP_PASSWORD=PASSWORD, SMTP_CA_FILE="")

    deliver_due_messages(now, backend=SmtpBackend(config))

    assert message.status == MessageStatus.PENDING
    assert "CERTIFICATE_VERIFY_FAILED" in message.last_error
    assert smtp_server_tls.messages == []


def test_smtp_backend_chosen_by_app_config(app, db_session, now, smtp_server, monkeypatch):
    for name, value in smtp_server.config().items():
        monkeypatch.setitem(app.config, name, value)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    message = queue(now)

    report = deliver_due_messages(now)

    assert report.sent == [message.id]
    assert smtp_server.messages[0].rcpt_tos == ["lea@example.org"]


def test_smtp_one_message_per_recipient(app, db_session, now, smtp_server):
    first = queue(now, key="test:smtp:a", to_email="a@example.org")
    second = queue(now, key="test:smtp:b", to_email="b@example.org")

    report = deliver_due_messages(now, backend=SmtpBackend(smtp_server.config()), clock=lambda: now)

    assert report.sent == [first.id, second.id]
    assert [m.rcpt_tos for m in smtp_server.messages] == [["a@example.org"], ["b@example.org"]]


def test_smtp_non_ascii_local_part_is_permanent(app, db_session, now, smtp_server):
    message = queue(now, to_email="léa@example.org")

    with pytest.raises(PermanentDeliveryError, match="cannot build the message"):
        SmtpBackend(smtp_server.config()).send(message)
    report = deliver_due_messages(now, backend=SmtpBackend(smtp_server.config()), clock=lambda: now)

    assert report.failed == [message.id]
    assert message.status == MessageStatus.FAILED


def test_smtp_a_name_with_accents_and_parentheses_reads_back_with_its_address(
    app, db_session, now, smtp_server
):
    name = "Camille Martin (équipe InnovENT-E)"
    queue(now, to_name=name, to_email="camille@innovent-e.example", reply_to="r@example.org")

    deliver_due_messages(now, backend=SmtpBackend(smtp_server.config()))

    mail = smtp_server.messages[0].message
    [to] = mail["To"].addresses
    assert (to.display_name, to.addr_spec) == (name, "camille@innovent-e.example")
    assert [a.addr_spec for a in mail["Reply-To"].addresses] == ["r@example.org"]
