"""Confirm, cancel and move show who will receive what before acting; cancelling needs a
reason, which the cancellation email carries."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.core.clock import to_local, utcnow
from coordination.notifications.models import OutboxMessage
from coordination.stops.models import StopStatus

HOST = {"name": "Claire Roux", "function": "", "email": "claire@pithiverais.example", "phone": ""}


@pytest.fixture
def coming_stop(make_stop):
    day = to_local(utcnow()).date() + timedelta(days=60)
    return make_stop(day=day, host_contacts=[HOST])


def _outbox(db_session):
    return db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_confirm_lists_recipients_first_and_sends_nothing(
    client, staff, sign_in, coming_stop, db_session
):
    sign_in(staff)
    response = client.post(f"/etapes/{coming_stop.id}/confirmer")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    section = html[html.index('id="recipients"') :]
    assert 'data-audience="hosts"' in section
    assert 'data-email="claire@pithiverais.example"' in section
    assert "Invitation d’agenda" in section
    db_session.refresh(coming_stop)
    assert coming_stop.status == StopStatus.TENTATIVE
    assert _outbox(db_session) == []
    # The dry run left no account behind either.
    assert (
        db_session.scalar(select(func.count()).select_from(User).where(User.email == HOST["email"]))
        == 0
    )

    response = client.post(f"/etapes/{coming_stop.id}/confirmer", data={"confirmed": "1"})
    assert response.status_code == 302
    db_session.refresh(coming_stop)
    assert coming_stop.status == StopStatus.CONFIRMED
    assert [(m.to_email, m.template) for m in _outbox(db_session)] == [
        (HOST["email"], "calendar/invitation")
    ]


def test_cancelling_needs_a_reason_which_the_email_carries(
    client, staff, sign_in, coming_stop, db_session
):
    sign_in(staff)
    client.post(f"/etapes/{coming_stop.id}/confirmer", data={"confirmed": "1"})

    response = client.post(f"/etapes/{coming_stop.id}/annuler", data={"reason": "  "})
    assert response.status_code == 302
    db_session.refresh(coming_stop)
    assert coming_stop.status == StopStatus.CONFIRMED
    assert "Donnez la raison" in client.get(f"/etapes/{coming_stop.id}").get_data(as_text=True)

    preview = client.post(f"/etapes/{coming_stop.id}/annuler", data={"reason": "Salle inondée"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Annulation d’agenda" in html and "Salle inondée" in html
    assert 'name="reason" value="Salle inondée"' in html
    db_session.refresh(coming_stop)
    assert coming_stop.status == StopStatus.CONFIRMED

    client.post(
        f"/etapes/{coming_stop.id}/annuler", data={"reason": "Salle inondée", "confirmed": "1"}
    )
    db_session.refresh(coming_stop)
    assert (coming_stop.status, coming_stop.cancel_reason) == (
        StopStatus.CANCELLED,
        "Salle inondée",
    )
    (cancellation,) = [m for m in _outbox(db_session) if m.template == "calendar/cancellation"]
    assert "Raison\u202f: Salle inondée" in cancellation.text_body
    assert "Salle inondée" in cancellation.html_body


def test_moving_a_confirmed_stop_shows_recipients_then_moves(
    client, staff, sign_in, coming_stop, db_session
):
    sign_in(staff)
    client.post(f"/etapes/{coming_stop.id}/confirmer", data={"confirmed": "1"})
    day = to_local(coming_stop.starts_at).date() + timedelta(days=7)
    preview = client.post(f"/etapes/{coming_stop.id}/deplacer", data={"day": day.isoformat()})
    assert preview.status_code == 200
    assert f'name="day" value="{day.isoformat()}"' in preview.get_data(as_text=True)
    db_session.refresh(coming_stop)
    assert to_local(coming_stop.starts_at).date() == day - timedelta(days=7)

    moved = client.post(
        f"/etapes/{coming_stop.id}/deplacer", data={"day": day.isoformat(), "confirmed": "1"}
    )
    assert moved.status_code == 302
    db_session.refresh(coming_stop)
    assert to_local(coming_stop.starts_at).date() == day
    assert len([m for m in _outbox(db_session) if m.template == "calendar/invitation"]) == 2


def test_a_stop_that_notifies_nobody_acts_at_once(client, staff, sign_in, make_stop, db_session):
    stop = make_stop()  # in the past: calendars are not sent
    sign_in(staff)
    assert client.post(f"/etapes/{stop.id}/confirmer").status_code == 302
    db_session.refresh(stop)
    assert stop.status == StopStatus.CONFIRMED


@pytest.mark.parametrize("roles", [("reviewer",), ("territory_contact",)])
def test_only_staff_see_the_recipients(client, make_user, sign_in, coming_stop, roles):
    sign_in(make_user("x@example.org", roles=roles))
    assert client.post(f"/etapes/{coming_stop.id}/confirmer").status_code == 403
    assert client.post(f"/etapes/{coming_stop.id}/annuler", data={"reason": "x"}).status_code == 403


def _full_form(stop, day, **changes):
    starts, ends = to_local(stop.starts_at), to_local(stop.ends_at)
    return {
        "title": stop.title,
        "day": day.isoformat(),
        "starts": starts.strftime("%H:%M"),
        "ends": ends.strftime("%H:%M"),
        "venue_name": "Salle des fêtes",
        "commune_insee": stop.commune_insee,
        "partners": "CCI Loiret\nBpifrance",
        "host_contacts-0-name": HOST["name"],
        "host_contacts-0-email": HOST["email"],
        **changes,
    }


def test_a_new_date_from_the_full_form_shows_recipients_first(
    client, staff, sign_in, coming_stop, db_session
):
    sign_in(staff)
    client.post(f"/etapes/{coming_stop.id}/confirmer", data={"confirmed": "1"})
    old_day = to_local(coming_stop.starts_at).date()
    day = old_day + timedelta(days=7)
    data = _full_form(coming_stop, day, title="Pithiviers, nouvelle date")

    preview = client.post(f"/etapes/{coming_stop.id}/modifier", data=data)
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    section = html[html.index('id="recipients"') :]
    assert 'data-audience="hosts"' in section
    assert 'data-email="claire@pithiverais.example"' in section
    assert 'name="title" value="Pithiviers, nouvelle date"' in html
    db_session.refresh(coming_stop)
    assert to_local(coming_stop.starts_at).date() == old_day
    assert coming_stop.title != "Pithiviers, nouvelle date"
    assert len(_outbox(db_session)) == 1  # the confirmation's invitation only

    # Going back shows the form with everything typed, still unsaved.
    back = client.post(f"/etapes/{coming_stop.id}/modifier", data={**data, "revise": "1"})
    assert back.status_code == 200
    form = back.get_data(as_text=True)
    assert 'id="stop-form"' in form and 'value="Pithiviers, nouvelle date"' in form
    assert f'value="{day.isoformat()}"' in form
    db_session.refresh(coming_stop)
    assert to_local(coming_stop.starts_at).date() == old_day

    saved = client.post(f"/etapes/{coming_stop.id}/modifier", data={**data, "confirmed": "1"})
    assert saved.status_code == 302
    db_session.refresh(coming_stop)
    assert to_local(coming_stop.starts_at).date() == day
    assert (coming_stop.title, coming_stop.partners) == (
        "Pithiviers, nouvelle date",
        "CCI Loiret\nBpifrance",
    )
    assert len([m for m in _outbox(db_session) if m.template == "calendar/invitation"]) == 2


def test_the_full_form_without_a_new_date_saves_at_once(
    client, staff, sign_in, coming_stop, db_session
):
    sign_in(staff)
    client.post(f"/etapes/{coming_stop.id}/confirmer", data={"confirmed": "1"})
    day = to_local(coming_stop.starts_at).date()
    saved = client.post(
        f"/etapes/{coming_stop.id}/modifier", data=_full_form(coming_stop, day, title="Nouveau")
    )
    assert saved.status_code == 302
    db_session.refresh(coming_stop)
    assert coming_stop.title == "Nouveau"
