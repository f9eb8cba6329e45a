"""Secret links in the outbox: staff never read a usable token on any outbox page."""

import pytest
from sqlalchemy import select

from coordination.auth.services import issue_login_link
from coordination.core.clock import utcnow
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.backends import get_backend
from coordination.notifications.models import MessageStatus, OutboxMessage
from coordination.notifications.secrets import MASK, secrets_in, staff_copy
from coordination.notifications.services import build_message, deliver_due_messages

#: Every kind of secret link the platform mails, with a token shaped like the real ones.
SECRET_LINKS = [
    ("auth.link_sign_in", {"token": "Zq3xv_7Tt0aSecretSignInToken-0123456789abc"}),
    ("participants.manage", {"token": "MTI.aBcDeF.registration-sig"}),
    ("participants.cancel", {"token": "MTM.aBcDeF.cancel-sig-value"}),
    ("participants.offer", {"token": "MTQ.aBcDeF.offer-sig-value"}),
    ("participants.answer", {"token": "MTU.aBcDeF.answer-sig-value"}),
    ("clubs.confirm_registration", {"token": "club-registration-secret-XYZ987"}),
    ("calendar.reply", {"token": "rsvp-token.with.dots-42", "answer": "accepted"}),
    ("calendar.private_feed", {"secret": "private-feed-secret-abc123"}),
]


def _staff_pages(client, message) -> list[str]:
    pages = [
        "/equipe/courriels/",
        f"/equipe/courriels/?status={message.status}",
        f"/equipe/courriels/{message.id}",
        f"/equipe/courriels/{message.id}/html",
    ]
    bodies = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.get_data(as_text=True))
    return bodies


def _queue_raw(url: str, status=MessageStatus.PENDING) -> OutboxMessage:
    message = build_message(
        key=f"secret-test:{url}",
        template="notifications/test",
        to_email="recipient@example.org",
        subject="Votre lien",
        text_body=f"Bonjour,\nvotre lien : {url}.\nÀ bientôt.",
        html_body=f'<p>Votre lien : <a href="{url}">{url}</a></p>',
        calendar_ics=f"BEGIN:VCALENDAR\r\nURL:{url}\r\nEND:VCALENDAR\r\n",
    )
    message.status = status
    db.session.add(message)
    db.session.flush()
    return message


@pytest.mark.parametrize(("endpoint", "values"), SECRET_LINKS, ids=[e for e, _ in SECRET_LINKS])
def test_no_outbox_page_shows_a_secret_link(client, staff, sign_in, endpoint, values):
    url = external_url(endpoint, **values)
    secret = values.get("token") or values["secret"]
    message = _queue_raw(url, status=MessageStatus.FAILED)
    message.last_error = f"550 rejected {url}"
    sign_in(staff)
    for body in _staff_pages(client, message):
        assert secret not in body
    page = client.get(f"/equipe/courriels/{message.id}").get_data(as_text=True)
    assert url.replace(secret, MASK) in page
    copy = staff_copy(message)
    assert secret not in copy.calendar_ics and secret not in copy.last_error
    # The delivered message keeps the real link.
    assert secret in message.text_body and secret in message.html_body


def test_links_that_are_not_secret_are_left_as_they_are(app):
    url = external_url("clubs.club_page", slug="club-du-loiret")
    stop = external_url("stops.stop_page", stop_id=4)
    elsewhere = "https://other.example/connexion/lien/abc"
    assert secrets_in(f"{url} {stop} {elsewhere}") == set()


def test_a_sign_in_link_read_by_staff_is_masked_and_the_mask_signs_no_one_in(
    client, app, make_user, staff, sign_in
):
    now = utcnow()
    partner = make_user("partner@example.org", roles=("partner_contact",), password=None)
    url = issue_login_link(partner, now)
    secret = url.rsplit("/", 1)[1]
    db.session.commit()
    deliver_due_messages(now, worker="test")
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == partner.id))
    assert message.status == MessageStatus.SENT

    sign_in(staff)
    bodies = _staff_pages(client, message)
    assert all(secret not in body for body in bodies)
    masked = f"/connexion/lien/{MASK}"
    assert masked in bodies[2]
    client.post("/deconnexion")

    # What staff could copy leads nowhere.
    assert client.post(masked).status_code in (404, 410)
    assert client.get("/profil").status_code == 302

    # The recipient's own email holds the working link.
    [sent] = [m for m in get_backend().outbox if m.id == message.id]
    assert secret in sent.text_body and secret in sent.html_body
    assert client.post(f"/connexion/lien/{secret}").status_code == 302
    assert client.get("/profil").status_code == 200
