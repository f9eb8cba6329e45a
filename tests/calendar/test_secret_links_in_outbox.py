"""Invitation answer links: masked on every staff outbox page, working for the invitee."""

from sqlalchemy import select

from coordination.calendar.models import InvitationReply
from coordination.core.clock import utcnow
from coordination.notifications.backends import get_backend
from coordination.notifications.secrets import MASK
from coordination.notifications.services import deliver_due_messages
from tests.calendar.test_invitations import invitations, reply_path


def test_rsvp_links_are_masked_for_staff_and_work_for_the_invitee(
    client, club_setup, make_meeting, db_session, staff, sign_in
):
    club, _lead, member, _ = club_setup()
    make_meeting(club, status="confirmed")
    message = next(m for m in invitations(db_session) if m.to_email == member.email)
    db_session.commit()
    deliver_due_messages(utcnow(), worker="test")
    path = reply_path(message, "accepted")
    token = path.split("/")[-1].split("?")[0]

    sign_in(staff)
    for url in (
        "/equipe/courriels/",
        f"/equipe/courriels/{message.id}",
        f"/equipe/courriels/{message.id}/html",
    ):
        assert token not in client.get(url).get_data(as_text=True)
    page = client.get(f"/equipe/courriels/{message.id}").get_data(as_text=True)
    assert f"/calendrier/reponse/{MASK}" in page
    client.post("/deconnexion")
    assert client.post(f"/calendrier/reponse/{MASK}", data={"answer": "declined"}).status_code in (
        400,
        404,
    )
    assert db_session.scalar(select(InvitationReply)) is None

    [sent] = [m for m in get_backend().outbox if m.id == message.id]
    assert token in sent.text_body
    client.post(path.split("?")[0], data={"answer": "accepted"})
    assert db_session.scalar(select(InvitationReply)).answer == "accepted"
