"""The "my tasks" page: each role lands there after signing in and sees its next steps."""

import re

import pytest
from sqlalchemy import select

from coordination.calendar.models import FeedToken
from coordination.campaigns.models import Review
from coordination.clubs.models import ClubMeeting
from coordination.core.clock import utcnow
from coordination.demo import DEMO_PASSWORD, load_demo_data
from coordination.extensions import db
from coordination.notifications.models import MessageStatus, OutboxMessage


@pytest.fixture
def demo(db_session):
    assert load_demo_data(utcnow())
    db.session.commit()


def _sign_in(client, email, next_path=None):
    url = "/connexion" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"email": email, "password": DEMO_PASSWORD})


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_signing_in_lands_on_my_tasks_unless_a_next_page_is_asked(client, demo):
    response = _sign_in(client, "relecteur@demo.innovent-e.fr")
    assert response.status_code == 302
    assert response.headers["Location"] == "/mes-taches"
    client.post("/deconnexion", data={})
    client.get("/")
    response = _sign_in(client, "relecteur@demo.innovent-e.fr", "/profil")
    assert response.headers["Location"] == "/profil"


def test_my_tasks_needs_signing_in_and_is_in_the_menu(client, demo):
    assert client.get("/mes-taches").status_code == 302
    _sign_in(client, "partenaire@demo.innovent-e.fr")
    assert 'href="/mes-taches"' in client.get("/profil").get_data(as_text=True)


def test_staff_see_applications_warnings_requests_and_outbox_failures(client, demo):
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
    message.status = MessageStatus.FAILED
    db.session.commit()
    _sign_in(client, "equipe@demo.innovent-e.fr")

    page = client.get("/mes-taches").get_data(as_text=True)

    assert 'id="tasks-staff"' in page
    text = _text(page)
    # The demo has one request waiting (see tests/clubs) and the failed message above.
    assert "1 demande d’adhésion à traiter" in text
    assert "1 message n’a pas pu être envoyé" in text
    assert "/equipe/courriels/?status=failed" in page
    assert re.search(r"\d+ (relecture|relectures) en attente|\d+ candidatures? à décider", text)


def test_a_reviewer_sees_the_reviews_to_do(client, demo):
    # The demo reviewer has done their review: reopen it.
    review = db.session.scalars(
        select(Review).where(Review.reviewer.has(email="relecteur@demo.innovent-e.fr"))
    ).first()
    review.reviewed_at = None
    db.session.commit()
    _sign_in(client, "relecteur@demo.innovent-e.fr")

    page = client.get("/mes-taches").get_data(as_text=True)
    text = _text(page)

    assert re.search(r"\b[1-9]\d* relectures? à faire", text)
    assert f'href="/appels/relectures/{review.id}"' in page
    assert "affectée le" in text
    assert 'id="tasks-staff"' not in text


def test_a_host_sees_their_stop_and_what_to_do_next(client, demo):
    _sign_in(client, "territoire@demo.innovent-e.fr")

    page = client.get("/mes-taches").get_data(as_text=True)

    assert 'id="tasks-stops"' in page
    assert "data-stop-id=" in page
    assert re.search(r"\d+ (personne inscrite|personnes inscrites)", _text(page))


def test_a_partner_sees_clubs_meetings_and_ready_feeds_with_copy_buttons(client, demo):
    _sign_in(client, "partenaire@demo.innovent-e.fr")

    page = client.get("/mes-taches").get_data(as_text=True)

    assert 'id="tasks-partner"' in page
    assert "sont prêts" in page
    assert "copy-button" in page
    assert "/calendrier/abonnement/" in page
    meetings = db.session.scalars(select(ClubMeeting)).all()
    assert any(f'data-meeting-id="{m.id}"' in page for m in meetings)
    assert db.session.scalar(select(FeedToken.id).limit(1)) is not None


def test_the_page_reads_a_bounded_number_of_queries(client, demo, query_counter):
    _sign_in(client, "equipe@demo.innovent-e.fr")
    with query_counter() as counted:
        assert client.get("/mes-taches").status_code == 200
    assert len(counted) < 40, counted
