"""An event's page is its stop's page: format, audience, organisers, registration needed
or not; registering takes the place in the event's single workshop (or the waiting list)."""

from datetime import date, time, timedelta

from sqlalchemy import select

from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.participants import services
from coordination.participants.models import Registration, SeatStatus
from tests.programmes.public_factories import (
    public_week,  # noqa: F401  (the week fixture)
    publish,
    register,
)

FORM = {
    "first_name": "Alice",
    "last_name": "Martin",
    "email": "alice@example.org",
    "company_name": "Usinage Martin",
    "siret": "",
    "company_size": "small",
    "naf_code": "2562B",
    "commune": "59350",
    "consent": "y",
}


def test_event_page_shows_format_audience_organisers(client, week):
    event = publish(week, organisers=("CCI Grand Lille", "CETIM"), event_format="open_doors")
    db.session.commit()
    html = client.get(f"/etapes/{event.stop_id}").get_data(as_text=True)
    assert '<dd id="event-format">Portes ouvertes</dd>' in html
    assert '<dd id="event-audience">Dirigeants de PME</dd>' in html
    assert '<dd id="event-organisers">CCI Grand Lille, CETIM</dd>' in html
    assert '<dd id="event-registration">Nécessaire · ' in html
    assert "2 places restantes" in html
    assert 'data-testid="register"' in html
    assert f"/programmes/{week.slug}" in html
    assert f"/calendrier/etapes/{event.stop_id}.ics" in html


def test_event_without_registration_has_no_form(client, week):
    event = publish(week, registration=False, capacity=None)
    db.session.commit()
    page = client.get(f"/etapes/{event.stop_id}").get_data(as_text=True)
    assert "Inscription inutile\u202f: venez librement." in page
    assert 'data-testid="register"' not in page
    form = client.get(f"/etapes/{event.stop_id}/inscription")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert 'id="no-registration"' in html
    assert 'id="registration-form"' not in html
    refused = client.post(f"/etapes/{event.stop_id}/inscription", data=FORM)
    assert refused.status_code == 400
    assert "ne demande pas d’inscription" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Registration)) is None


def test_registering_takes_the_single_workshop_without_a_checkbox(client, week):
    event = publish(week, capacity=1)
    db.session.commit()
    page = client.get(f"/etapes/{event.stop_id}/inscription").get_data(as_text=True)
    assert 'name="workshops"' not in page
    assert 'id="single-workshop"' in page
    assert "1 place restante" in page
    response = client.post(f"/etapes/{event.stop_id}/inscription", data=FORM)
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert [seat.status for seat in registration.seats] == [SeatStatus.CONFIRMED]
    # The next visitor goes on the waiting list, through the participants' code.
    page = client.get(f"/etapes/{event.stop_id}/inscription").get_data(as_text=True)
    assert "liste d’attente" in page
    response = client.post(
        f"/etapes/{event.stop_id}/inscription", data={**FORM, "email": "bob@example.org"}
    )
    assert response.status_code == 302
    second = db.session.scalar(select(Registration).where(Registration.email == "bob@example.org"))
    assert [seat.status for seat in second.seats] == [SeatStatus.WAITING]


def test_cancelling_offers_the_place_to_the_waiting_list(week, now):
    event = publish(week, capacity=1)
    first = register(event, 1, now)
    second = register(event, 2, now)
    services.cancel_registration(first, now + timedelta(hours=1))
    assert [seat.status for seat in second.seats] == [SeatStatus.OFFERED]


def test_tour_stop_keeps_its_workshop_checkboxes(client, edition, make_territory):
    from coordination.stops.models import AgendaItem, Stop, StopStatus

    stop = Stop(
        edition_id=edition.id,
        territory=make_territory(),
        title="Pithiviers",
        starts_at=local_datetime(date(2027, 9, 15), time(9, 0)),
        ends_at=local_datetime(date(2027, 9, 15), time(17, 0)),
        status=StopStatus.CONFIRMED,
        city="Pithiviers",
        agenda_items=[AgendaItem(position=0, title="Atelier innovation", starts_on=time(10, 0))],
    )
    db.session.add(stop)
    db.session.commit()
    page = client.get(f"/etapes/{stop.id}/inscription").get_data(as_text=True)
    assert 'name="workshops"' in page
    assert 'id="single-workshop"' not in page


def test_registrants_invitation_carries_the_event(week, now):
    from tests.participants.conftest import outbox

    event = publish(week, "Portes ouvertes du CETIM", organisers=("CETIM",))
    register(event, 1, now)
    [confirmation] = outbox("participants/confirmation")
    text = confirmation.calendar_ics.replace("\r\n ", "")
    assert "SUMMARY:Portes ouvertes du CETIM — Lille" in text
    assert "Organisé par\u202f: CETIM" in text
