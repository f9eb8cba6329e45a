"""Invitations to club meetings: REQUEST on confirmation, updates, CANCEL; replies."""

import re

import icalendar
import vobject
from sqlalchemy import select

from coordination.calendar.models import InvitationReply
from coordination.clubs.services import save_meeting
from coordination.notifications.backends import SendGridBackend, SmtpBackend
from coordination.notifications.models import OutboxMessage
from coordination.notifications.services import deliver_due_messages
from tests.calendar.conftest import meeting_fields
from tests.notifications import sendgrid_standin as standin_fixtures
from tests.notifications import smtp_server as smtp_fixtures
from tests.notifications.sendgrid_standin import API_KEY

smtp_server = smtp_fixtures.smtp_server
sendgrid_standin = standin_fixtures.sendgrid_standin


def invitations(db_session) -> list[OutboxMessage]:
    return list(
        db_session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.idempotency_key.startswith("invite:"))
            .order_by(OutboxMessage.id)
        )
    )


def vevent(message: OutboxMessage):
    (event,) = icalendar.Calendar.from_ical(message.calendar_ics).walk("VEVENT")
    return event


def test_a_planned_meeting_sends_no_invitation(club_setup, make_meeting, db_session):
    club, *_ = club_setup()
    make_meeting(club)
    assert invitations(db_session) == []


def test_confirming_invites_each_member_contact_and_lead_once(
    club_setup, make_meeting, db_session, now
):
    club, lead, member, outsider = club_setup()
    meeting = make_meeting(club, status="confirmed")
    sent = invitations(db_session)
    assert sorted(m.to_email for m in sent) == sorted([lead.email, member.email])
    for message in sent:
        assert message.calendar_method == "REQUEST"
        vobject.readOne(message.calendar_ics, validate=True)
        event = vevent(message)
        assert str(event["UID"]) == meeting.uid
        assert str(event["ATTENDEE"]) == f"mailto:{message.to_email}"
        assert message.subject.startswith("Invitation")
    # Sending again for the same sequence changes nothing.
    from coordination.calendar.receivers import on_meeting_changed

    on_meeting_changed(meeting, now=now)
    assert len(invitations(db_session)) == 2


def test_a_change_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    club_setup, make_meeting, db_session, now
):
    club, _lead, member, _ = club_setup()
    meeting = make_meeting(club, status="confirmed")
    save_meeting(club, meeting, meeting_fields(status="confirmed", place="Hôtel de ville"), now)
    to_member = [m for m in invitations(db_session) if m.to_email == member.email]
    assert [int(vevent(m)["SEQUENCE"]) for m in to_member] == [0, 1]
    assert {str(vevent(m)["UID"]) for m in to_member} == {meeting.uid}
    assert to_member[1].subject.startswith("Mise à jour")


def test_cancelling_sends_cancel_only_to_those_invited(club_setup, make_meeting, db_session, now):
    club, lead, member, _ = club_setup()
    planned = make_meeting(club, title="Jamais confirmée")
    save_meeting(club, planned, meeting_fields(title="Jamais confirmée", status="cancelled"), now)
    assert invitations(db_session) == []  # nobody was invited, nobody is told

    meeting = make_meeting(club, status="confirmed")
    save_meeting(club, meeting, meeting_fields(status="cancelled"), now)
    cancels = [m for m in invitations(db_session) if m.calendar_method == "CANCEL"]
    assert sorted(m.to_email for m in cancels) == sorted([lead.email, member.email])
    for message in cancels:
        assert str(vevent(message)["STATUS"]) == "CANCELLED"
        assert int(vevent(message)["SEQUENCE"]) == 1


def test_invitation_mime_through_smtp(club_setup, make_meeting, db_session, now, smtp_server):
    club, *_ = club_setup()
    make_meeting(club, status="confirmed")
    report = deliver_due_messages(now, backend=SmtpBackend(smtp_server.config()))
    assert len(report.sent) == 2
    received = smtp_server.messages[0].message
    alternative = (
        received
        if received.get_content_type() == "multipart/alternative"
        else next(
            part for part in received.walk() if part.get_content_type() == "multipart/alternative"
        )
    )
    types = [part.get_content_type() for part in alternative.iter_parts()]
    assert types == ["text/plain", "text/html", "text/calendar"]
    calendar_part = list(alternative.iter_parts())[2]
    assert calendar_part.get_param("method") == "REQUEST"


def test_invitation_through_sendgrid_passes_the_contract(
    club_setup, make_meeting, db_session, now, sendgrid_standin
):
    club, *_ = club_setup()
    make_meeting(club, status="confirmed")
    backend = SendGridBackend(API_KEY, sendgrid_standin.url)
    report = deliver_due_messages(now, backend=backend)
    assert len(report.sent) == 2
    for request in sendgrid_standin.requests:
        assert request.validation_errors == []
        assert len(request.body["personalizations"]) == 1
        assert request.body["content"][2]["type"] == "text/calendar; method=REQUEST"


def reply_path(message: OutboxMessage, answer: str) -> str:
    url = re.search(rf"(http://localhost/calendrier/reponse/\S+answer={answer})", message.text_body)
    return url.group(1).removeprefix("http://localhost")


def test_reply_link_records_the_answer_on_a_button_press(
    client, club_setup, make_meeting, db_session
):
    club, _lead, member, _ = club_setup()
    meeting = make_meeting(club, status="confirmed")
    message = next(m for m in invitations(db_session) if m.to_email == member.email)
    db_session.commit()
    path = reply_path(message, "declined")
    assert client.get(path).status_code == 200
    assert db_session.scalar(select(InvitationReply)) is None  # opening the link records nothing
    client.post(path.split("?")[0], data={"answer": "declined"})
    client.post(path.split("?")[0], data={"answer": "accepted"})
    replies = db_session.scalars(select(InvitationReply)).all()
    assert [(r.event_uid, r.user_id, r.answer) for r in replies] == [
        (meeting.uid, member.id, "accepted")
    ]


def test_a_tampered_reply_link_is_a_404(client):
    assert client.get("/calendrier/reponse/eyJ1aWQiOiJ4IiwidXNlciI6MX0.forged").status_code == 404


def test_attendee_cn_is_the_name_when_known_never_the_address(club_setup, make_meeting, db_session):
    club, lead, member, _outsider = club_setup()
    member.name = ""
    make_meeting(club, status="confirmed")
    by_email = {m.to_email: vevent(m)["ATTENDEE"] for m in invitations(db_session)}
    assert by_email[lead.email].params["CN"] == "Lea Lead"
    assert "CN" not in by_email[member.email].params
