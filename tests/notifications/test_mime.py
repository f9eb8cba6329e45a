"""MIME and SendGrid forms of an outbox message, built without sending anything."""

import email
import email.policy
from datetime import UTC, datetime

import pytest

from coordination.notifications.mime import build_mime, encode_attachment, sendgrid_payload
from coordination.notifications.services import Attachment, build_message

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def message(app, db_session):
    """An unsaved message with a fixed id and creation time."""

    def make(**fields):
        fields.setdefault("to_name", "Léa Dupont")
        row = build_message(
            key=fields.pop("key", "test:mime:1"),
            template="campaigns/application_received",
            to_email=fields.pop("to_email", "Lea@Example.org"),
            subject=fields.pop("subject", "Candidature reçue"),
            text_body=fields.pop("text_body", "Bonjour Léa,\n"),
            html_body=fields.pop("html_body", "<p>Bonjour Léa,</p>"),
            **fields,
        )
        row.id = 42
        row.created_at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        return row

    return make


def reparse(mime) -> email.message.EmailMessage:
    """Flatten as SMTP would (CRLF) and parse back."""
    return email.message_from_bytes(
        mime.as_bytes(policy=email.policy.SMTP), policy=email.policy.default
    )


def test_mime_plain_message_headers(message):
    mail = reparse(build_mime(message()))

    assert mail["From"] == "InnovENT-E <plateforme@innovent-e.example>"
    assert mail["To"] == "Léa Dupont <lea@example.org>"
    assert mail["Reply-To"] is None
    assert mail["Subject"] == "Candidature reçue"
    assert mail["Date"] == "Mon, 02 Mar 2026 10:00:00 +0000"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["MIME-Version"] == "1.0"
    assert mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]


def test_mime_message_id_is_stable_and_unfolded(message):
    first, again = build_mime(message()), build_mime(message())
    other = build_mime(message(key="test:mime:2"))

    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"] != other["Message-ID"]
    assert first["Message-ID"].startswith("<outbox-42.")
    assert first["Message-ID"].endswith("@innovent-e.example>")
    assert b"Message-ID: <outbox-42." in first.as_bytes(policy=email.policy.SMTP)


def test_mime_calendar_method_parameter_matches(message):
    mail = reparse(build_mime(message(calendar_method="CANCEL", calendar_ics=ICS)))

    calendar = list(mail.iter_parts())[2]
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "CANCEL"
    assert calendar.get_content_charset() == "utf-8"
    assert calendar.get_content() == ICS


def test_mime_attachment_type_parameters_are_kept(message):
    attachment = Attachment(
        "invitation.ics", "text/calendar; method=CANCEL", encode_attachment(ICS.encode())
    )
    mail = reparse(build_mime(message(attachments=[attachment])))

    assert mail.get_content_type() == "multipart/mixed"
    alternative, ics = mail.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "CANCEL"
    assert ics.get_filename() == "invitation.ics"
    assert ics.get_payload(decode=True) == ICS.encode()


def test_sendgrid_payload_of_a_plain_message(message):
    payload = sendgrid_payload(message(reply_to="orga@partenaire.example"))

    assert payload == {
        "personalizations": [
            {
                "to": [{"email": "lea@example.org", "name": "Léa Dupont"}],
                "custom_args": {"outbox_id": "42", "idempotency_key": "test:mime:1"},
            }
        ],
        "from": {"email": "plateforme@innovent-e.example", "name": "InnovENT-E"},
        "subject": "Candidature reçue",
        "content": [
            {"type": "text/plain", "value": "Bonjour Léa,\n"},
            {"type": "text/html", "value": "<p>Bonjour Léa,</p>"},
        ],
        "categories": ["campaigns-application_received"],
        "headers": {"Auto-Submitted": "auto-generated"},
        "reply_to": {"email": "orga@partenaire.example"},
    }


def test_sendgrid_payload_leaves_out_an_empty_html_part(message):
    payload = sendgrid_payload(message(html_body=""))

    assert payload["content"] == [{"type": "text/plain", "value": "Bonjour Léa,\n"}]


def test_sendgrid_payload_without_name_and_in_sandbox(message):
    payload = sendgrid_payload(message(to_name=""), sandbox=True)

    assert payload["personalizations"][0]["to"] == [{"email": "lea@example.org"}]
    assert payload["mail_settings"] == {"sandbox_mode": {"enable": True}}
