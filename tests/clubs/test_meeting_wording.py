"""Club meeting invitations use staff's wording (shared by every edition, as clubs are not
tied to one), in each member's language, and keep their calendar parts."""

from sqlalchemy import select

from coordination.notifications import overrides
from coordination.notifications.models import OutboxMessage
from tests.calendar.conftest import club_setup, make_meeting  # noqa: F401

KIND = "clubs/meeting_invitation"
EVENT = "Club club-saint-quentinois — Réunion de rentrée"


def invitations(db_session) -> dict[str, OutboxMessage]:
    messages = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith("invite:"))
    )
    return {m.to_email: m for m in messages}


def test_without_a_wording_the_invitation_reads_as_before(
    club_setup,  # noqa: F811
    make_meeting,  # noqa: F811
    db_session,
):
    club, lead, member, _ = club_setup()
    make_meeting(club, status="confirmed")
    sent = invitations(db_session)
    assert sorted(sent) == sorted([lead.email, member.email])
    message = sent[member.email]
    assert message.template == KIND
    assert message.subject.startswith("Invitation")
    assert message.subject.endswith(EVENT)
    assert "Vous êtes invité" in message.text_body


def test_staff_wording_of_meeting_invitations_is_sent_in_each_language(
    club_setup,  # noqa: F811
    make_meeting,  # noqa: F811
    db_session,
    now,
):
    club, lead, member, _ = club_setup()
    lead.locale = "en"
    for locale, subject, body in (
        (
            "fr",
            "Rendez-vous : {event}",
            "Bonjour {name},\n\nLe club se réunit {when}, {where}.\n\nVenez : {yes_url}",
        ),
        ("en", "Meeting: {event}", "Hello {name},\n\nThe club meets {when}.\n\nCome: {yes_url}"),
    ):
        overrides.save_template(KIND, None, locale, subject, body, lead, now)
    make_meeting(club, status="confirmed")
    sent = invitations(db_session)
    french, english = sent[member.email], sent[lead.email]
    assert french.subject == f"Rendez-vous : {EVENT}"
    assert "Bonjour Max Member," in french.text_body
    assert "CCI de l'Aisne, Saint-Quentin" in french.text_body
    assert "Venez : http" in french.text_body
    assert english.subject == f"Meeting: {EVENT}"
    assert "Hello Lea Lead," in english.text_body
    # Still an invitation: the calendar part and its invite.ics copy.
    assert french.calendar_method == "REQUEST" and "BEGIN:VEVENT" in french.calendar_ics
    assert [a["filename"] for a in french.attachments] == ["invite.ics"]


def test_the_meeting_wording_is_one_for_every_edition_and_has_a_real_preview(
    club_setup,  # noqa: F811
    make_meeting,  # noqa: F811
    db_session,
    now,
):
    club, lead, _member, _ = club_setup()
    make_meeting(club, status="confirmed")
    saved = overrides.save_template(KIND, 123, "fr", "R : {event}", "{name}", lead, now)
    assert saved.edition_id is None  # shared, as the club welcome
    errors = overrides.check(KIND, "R : {stop}", "x")
    assert errors and "{stop}" in errors[0]
    preview = overrides.preview(None, KIND, "fr")
    assert preview.subject == f"R : {EVENT}"
