"""Invitations carry the event twice: the text/calendar part and an invite.ics attachment."""

import base64

import icalendar
from sqlalchemy import select

from coordination.notifications.backends import SendGridBackend, SmtpBackend
from coordination.notifications.models import OutboxMessage
from coordination.notifications.services import deliver_due_messages
from coordination.stops.services import confirm_stop
from tests.notifications import sendgrid_standin as standin_fixtures
from tests.notifications import smtp_server as smtp_fixtures
from tests.notifications.sendgrid_standin import API_KEY

smtp_server = smtp_fixtures.smtp_server
sendgrid_standin = standin_fixtures.sendgrid_standin


def _confirmed(stop_setup, now):
    stop, _people = stop_setup()
    stop.venue_address = "Rue Victor Basch"
    confirm_stop(stop, None, now)
    return stop


def _vevent(data: bytes):
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return event


def test_the_smtp_message_carries_invite_ics_naming_the_tour_and_the_address(
    stop_setup, db_session, now, smtp_server
):
    stop = _confirmed(stop_setup, now)
    report = deliver_due_messages(now, backend=SmtpBackend(smtp_server.config()))
    assert report.sent
    for received in smtp_server.messages:
        mail = received.message
        assert mail.get_content_type() == "multipart/mixed"
        calendar_part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
        (attachment,) = [p for p in mail.iter_attachments() if p.get_filename() == "invite.ics"]
        assert attachment.get_content_type() == "application/ics"
        assert attachment.get_content_disposition() == "attachment"
        for data in (attachment.get_payload(decode=True), calendar_part.get_payload(decode=True)):
            event = _vevent(data)
            assert str(event["SUMMARY"]) == "Tournée de l'innovation — Saint-Quentin"
            assert "Rue Victor Basch" in str(event["LOCATION"])
            assert "Palais de Fervaques" in str(event["LOCATION"])
            assert str(event["UID"]) == stop.uid
        # The text promised the attachment.
        assert "joint" in mail.get_body(("plain",)).get_content()


def test_the_sendgrid_payload_attaches_invite_ics_within_the_contract(
    stop_setup, db_session, now, sendgrid_standin
):
    _confirmed(stop_setup, now)
    report = deliver_due_messages(now, backend=SendGridBackend(API_KEY, sendgrid_standin.url))
    assert report.sent and sendgrid_standin.requests
    for request in sendgrid_standin.requests:
        assert request.validation_errors == []
        (attachment,) = request.body["attachments"]
        assert attachment["filename"] == "invite.ics"
        assert attachment["type"] == "application/ics"
        assert attachment["disposition"] == "attachment"
        event = _vevent(base64.b64decode(attachment["content"]))
        assert str(event["SUMMARY"]) == "Tournée de l'innovation — Saint-Quentin"
        assert "text/calendar; method=REQUEST" in [c["type"] for c in request.body["content"]]


def test_each_calendar_message_has_one_ics_copy(stop_setup, db_session, now):
    _confirmed(stop_setup, now)
    for message in db_session.scalars(select(OutboxMessage)):
        if message.calendar_ics:
            assert [a["filename"] for a in message.attachments] == ["invite.ics"]
