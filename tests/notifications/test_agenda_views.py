"""The staff page of an edition's messages agenda: timeline, filters, preview, holds."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination.calendar.reminders import send_due_reminders
from coordination.extensions import db
from coordination.notifications import views
from coordination.notifications.models import MessageHold
from coordination.stops.services import confirm_stop
from tests.calendar.conftest import club_setup, stop_setup  # noqa: F401


@pytest.fixture
def agenda_setup(stop_setup, client, staff, sign_in, now, monkeypatch):  # noqa: F811
    stop, people = stop_setup(starts_in=timedelta(days=10))
    confirm_stop(stop, None, now - timedelta(days=25))
    send_due_reminders(now)  # the hosts' 30-day reminder, already sent
    monkeypatch.setattr(views, "utcnow", lambda: now)
    sign_in(staff)
    client.post("/langue", data={"locale": "en"})
    return stop, people, staff


def test_the_agenda_shows_sent_and_planned_messages_with_recipients_and_preview(
    client, agenda_setup
):
    stop, people, _staff = agenda_setup
    page = client.get(f"/equipe/courriels/agenda/{stop.edition.slug}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Sent" in html and "Coming" in html
    assert people["member"].email in html  # a partner of the 2-day reminder
    assert "host@saint-quentin.example" in html
    assert "Étape de Saint-Quentin" in html
    assert "2 recipients" in html
    # Filtered by audience in the URL: only the hosts' messages.
    hosts = client.get(f"/equipe/courriels/agenda/{stop.edition.slug}?audience=hosts")
    assert people["member"].email not in hosts.get_data(as_text=True)
    # Out-of-range filters fall back to defaults, never a 500.
    odd = client.get(f"/equipe/courriels/agenda/{stop.edition.slug}?weeks=99999&kind=x")
    assert odd.status_code == 200


def test_the_preview_is_in_the_recipients_language(client, agenda_setup):
    stop, people, _staff = agenda_setup
    people["member"].locale = "en"
    people["lead"].locale = "en"
    db.session.commit()
    html = client.get(f"/equipe/courriels/agenda/{stop.edition.slug}?audience=partners").get_data(
        as_text=True
    )
    assert "Preview (en)" in html


def test_staff_hold_a_planned_message_with_a_reason_and_release_it(client, agenda_setup, now):
    stop, _people, staff = agenda_setup
    slug = stop.edition.slug
    empty = client.post(
        f"/equipe/courriels/agenda/{slug}/suspendre",
        data={"stop_id": stop.id, "kind": "stop_reminder", "item": "hosts:P7D", "reason": " "},
        follow_redirects=True,
    )
    assert "Say why the message is held." in empty.get_data(as_text=True)
    client.post(
        f"/equipe/courriels/agenda/{slug}/suspendre",
        data={"stop_id": stop.id, "kind": "stop_reminder", "item": "hosts:P7D", "reason": "Venue"},
    )
    hold = db.session.scalar(select(MessageHold))
    assert (hold.held_by_id, hold.reason, hold.item) == (staff.id, "Venue", "hosts:P7D")
    html = client.get(f"/equipe/courriels/agenda/{slug}").get_data(as_text=True)
    assert "On hold" in html and "Venue" in html
    send_due_reminders(stop.starts_at - timedelta(days=7))
    from coordination.notifications.models import OutboxMessage

    keys = db.session.scalars(select(OutboxMessage.idempotency_key)).all()
    assert not [k for k in keys if ":P7D:" in k]
    client.post(f"/equipe/courriels/agenda/{slug}/lever/{hold.id}")
    db.session.refresh(hold)
    assert hold.released_at == now and hold.released_by_id == staff.id


def test_a_hold_for_a_stop_of_another_edition_is_refused(client, agenda_setup):
    stop, _people, _staff = agenda_setup
    answer = client.post(
        f"/equipe/courriels/agenda/{stop.edition.slug}/suspendre",
        data={"stop_id": 999_999, "kind": "stop_reminder", "item": "", "reason": "x"},
        follow_redirects=True,
    )
    assert answer.status_code == 200
    assert db.session.scalar(select(MessageHold)) is None
    assert client.get("/equipe/courriels/agenda/nope").status_code == 404


def test_the_demo_agenda_shows_the_coming_weeks_messages_and_a_hold(app, db_session):
    from coordination.core.clock import utcnow
    from coordination.demo import load_demo_data
    from coordination.notifications import agenda
    from coordination.stops.models import Stop

    now = utcnow()
    load_demo_data(now)
    launch = db.session.scalar(select(Stop).where(Stop.title.startswith("Lancement")))
    planned = agenda.planned_messages(launch.edition_id, now, now + timedelta(weeks=4), now)
    assert {(i.stop_id, i.item) for i in planned} >= {
        (launch.id, "hosts:P7D"),
        (launch.id, "partners:P14D"),
        (launch.id, "partners:P2D"),
    }
    # The demo staff member's daily digest, staff-wide: on this edition's agenda too.
    digests = [i for i in planned if i.kind == "digest"]
    assert digests and all(i.edition_id is None for i in digests)
    assert "equipe@demo.innovent-e.fr" in {r.email for i in digests for r in i.recipients}
    reminders = [i for i in planned if i.stop_id == launch.id and i.kind == "stop_reminder"]
    assert all(item.recipients for item in reminders)
    holds = agenda.active_holds([launch.id])
    assert [i.item for i in planned if agenda.is_held(i, holds)] == ["partners:P2D"]
