"""The console backend: each message becomes a parseable .eml file."""

import email
import email.policy

from coordination.notifications.backends import ConsoleBackend
from coordination.notifications.mime import encode_attachment
from coordination.notifications.models import MessageStatus
from coordination.notifications.services import Attachment, deliver_due_messages, queue_email

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//InnovENT-E//Tests//FR\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:stop-42@innovent-e.example\r\nDTSTAMP:20260302T100000Z\r\n"
    "DTSTART:20260605T070000Z\r\nSEQUENCE:0\r\nSUMMARY:Étape à Besançon\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)
KEY = "reminder:stop:42:user:7:P14D:2026-06-05T09:00"


def queue(now, **fields):
    """Queue the platform's test message to Léa, due at `now`."""
    fields.setdefault("to_email", "lea@example.org")
    fields.setdefault("to_name", "Léa Dupont")
    return queue_email(
        key=KEY,
        template="notifications/test",
        context={"backend": "console", "now": now},
        now=now,
        **fields,
    )


def test_console_writes_a_parseable_eml_into_the_configured_dir(
    app, db_session, now, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "console")
    monkeypatch.setitem(app.config, "MAIL_CONSOLE_DIR", str(tmp_path / "outbox"))
    message = queue(now, reply_to="organisatrice@partenaire.example")

    report = deliver_due_messages(now)

    assert report.sent == [message.id]
    name = f"{message.id:06d}-reminder_stop_42_user_7_P14D_2026-06-05T09_00.eml"
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == [name]
    assert message.status == MessageStatus.SENT
    assert message.provider_message_id == name
    mail = email.message_from_bytes(
        (tmp_path / "outbox" / name).read_bytes(), policy=email.policy.default
    )
    assert mail["From"] == "InnovENT-E <plateforme@innovent-e.example>"
    assert mail["To"] == "Léa Dupont <lea@example.org>"
    assert mail["Reply-To"] == "organisatrice@partenaire.example"
    assert mail["Subject"] == message.subject
    assert mail.get_content_type() == "multipart/alternative"
    plain, html = mail.iter_parts()
    assert plain.get_content() == message.text_body
    assert html.get_content() == message.html_body + "\n"


def test_console_eml_keeps_calendar_and_attachment(app, db_session, now, tmp_path):
    message = queue(
        now,
        calendar_method="REQUEST",
        calendar_ics=ICS,
        attachments=[Attachment("carte.png", "image/png", encode_attachment(b"\x89PNG"))],
    )

    deliver_due_messages(now, backend=ConsoleBackend(str(tmp_path)))

    [path] = tmp_path.iterdir()
    mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert mail.get_content_type() == "multipart/mixed"
    # The calendar part, then the picture, then the invite.ics copy every invitation carries.
    alternative, image, ics_copy = mail.iter_parts()
    assert (ics_copy.get_filename(), ics_copy.get_content_type()) == (
        "invite.ics",
        "application/ics",
    )
    assert ics_copy.get_payload(decode=True) == ICS.encode()
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    calendar = list(alternative.iter_parts())[2]
    assert calendar.get_param("method") == "REQUEST"
    # A file on disk has LF line ends; the content is otherwise the message's calendar.
    assert calendar.get_content() == ICS.replace("\r\n", "\n")
    assert (image.get_content_type(), image.get_filename()) == ("image/png", "carte.png")
    assert image.get_content() == b"\x89PNG"
    assert message.provider_message_id == path.name


def test_console_a_name_with_accents_and_parentheses_reads_back_with_its_address(
    app, db_session, now, tmp_path
):
    name = "Camille Martin (équipe InnovENT-E)"
    queue(now, to_name=name, to_email="camille@innovent-e.example")

    deliver_due_messages(now, backend=ConsoleBackend(str(tmp_path)))

    [path] = tmp_path.iterdir()
    mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    [to] = mail["To"].addresses
    assert (to.display_name, to.addr_spec) == (name, "camille@innovent-e.example")
