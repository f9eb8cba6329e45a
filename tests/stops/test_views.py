"""Public pages, planning views, editing and its permissions, query counts."""

import json
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.stops.models import Stop, StopChange, StopRules, StopStatus
from tests.stops.conftest import ALBERT, SAINT_QUENTIN


@pytest.fixture
def english(client):
    client.post("/langue", data={"locale": "en"})


@pytest.fixture
def host(make_user):
    return make_user("sandrine@territoire.example", roles=("territory_contact",), name="Sandrine")


def _hosted(make_stop, **fields):
    contacts = [
        {"name": "Sandrine", "function": "", "email": "Sandrine@territoire.example", "phone": ""}
    ]
    return make_stop(host_contacts=contacts, **fields)


# --- Public ---------------------------------------------------------------------------


def test_public_list_shows_confirmed_held_and_cancelled_but_not_tentative(client, make_stop, now):
    confirmed = make_stop(status=StopStatus.CONFIRMED, day=date(2026, 9, 15))
    held = make_stop(status=StopStatus.HELD, day=date(2026, 6, 10), insee=ALBERT)
    cancelled = make_stop(
        status=StopStatus.CANCELLED, day=date(2026, 9, 1), insee=SAINT_QUENTIN, confirmed_at=now
    )
    tentative = make_stop(day=date(2026, 9, 22), title="Secret")
    dropped = make_stop(status=StopStatus.CANCELLED, day=date(2026, 9, 23), title="Abandon")
    db.session.commit()

    html = client.get(f"/etapes/edition/{confirmed.edition.slug}").get_data(as_text=True)

    for stop in (confirmed, held, cancelled):
        assert f'href="/etapes/{stop.id}"' in html
    for stop in (tentative, dropped):
        assert f'href="/etapes/{stop.id}"' not in html
        assert client.get(f"/etapes/{stop.id}").status_code == 404
    assert html.index(f"/etapes/{held.id}") < html.index(f"/etapes/{cancelled.id}")


def test_public_stops_page_shows_the_current_edition(client, make_stop):
    stop = make_stop(status=StopStatus.CONFIRMED)

    response = client.get("/etapes")

    assert response.status_code == 200
    assert f'href="/etapes/{stop.id}"' in response.get_data(as_text=True)


def test_public_stop_page_shows_agenda_and_venue(client, make_stop, english):
    stop = make_stop(status=StopStatus.CONFIRMED, venue_name="Palais de Fervaques")
    from coordination.stops.models import AgendaItem

    stop.agenda_items.append(
        AgendaItem(title="Innover à l'export", starts_on=time(10, 30), room="A")
    )
    db.session.commit()

    html = client.get(f"/etapes/{stop.id}").get_data(as_text=True)

    assert "Palais de Fervaques" in html
    assert "Innover à l&#39;export" in html
    assert "10:30" in html
    assert 'id="staff-panel"' not in html
    assert "from 9:00 AM to 5:00 PM" in html


def test_tentative_stop_page_is_hidden_from_the_public(client, make_stop):
    stop = make_stop()
    db.session.commit()

    assert client.get(f"/etapes/{stop.id}").status_code == 404
    assert client.get("/etapes/999999").status_code == 404
    assert client.get("/etapes/edition/nope").status_code == 404


def test_home_page_lists_coming_confirmed_stops_in_paris_time(client, make_stop):
    stop = make_stop(status=StopStatus.CONFIRMED, day=date(2035, 6, 5))
    make_stop(day=date(2035, 6, 6), title="Pas encore")
    db.session.commit()

    html = client.get("/").get_data(as_text=True)

    assert f'href="/etapes/{stop.id}"' in html
    assert "Pas encore" not in html
    assert "5 juin 2035 à 9\u00a0h" in html


# --- Staff planning -------------------------------------------------------------------


def test_planning_views_need_staff(client, make_user, sign_in, edition):
    assert client.get(f"/etapes/planning/{edition.slug}").status_code == 302
    sign_in(make_user("x@example.org", roles=("territory_contact",)))
    for path in ("", "/calendrier", "/frise"):
        assert client.get(f"/etapes/planning/{edition.slug}{path}").status_code == 403


def test_planning_list_shows_warnings_and_creates_from_applications(
    client, staff, sign_in, edition, make_accepted, make_stop, english
):
    make_stop(day=date(2026, 9, 19))
    make_accepted()
    sign_in(staff)

    html = client.get(f"/etapes/planning/{edition.slug}").get_data(as_text=True)
    assert 'data-code="weekend"' in html
    assert "Create 1 stops from accepted applications" in html

    response = client.post(f"/etapes/planning/{edition.slug}/depuis-candidatures")

    assert response.status_code == 302
    assert db.session.scalar(select(Stop).where(Stop.application_id.is_not(None))) is not None


def test_month_calendar_places_stops_on_their_paris_day(client, staff, sign_in, make_stop):
    # 00:30 on 1 October in Paris is 30 September in UTC.
    stop = make_stop(day=date(2026, 10, 1), starts=time(0, 30))
    sign_in(staff)

    response = client.get(f"/etapes/planning/{stop.edition.slug}/calendrier?mois=2026-10")
    html = response.get_data(as_text=True)

    assert 'data-initial-date="2026-10-01"' in html
    events = json.loads(html.split('id="calendar-events">')[1].split("</script>")[0])
    assert [(e["id"], e["start"]) for e in events] == [(str(stop.id), "2026-10-01T00:30:00")]
    assert events[0]["extendedProps"]["moveUrl"] == f"/etapes/{stop.id}/deplacer"
    # The keyboard's way (and the way without JavaScript): the date field, on the Paris day.
    assert f'id="day-{stop.id}" name="day" value="2026-10-01"' in html
    # FullCalendar's injected styles are allowed by this response's nonce, and only them.
    nonce = html.split('<meta name="csp-nonce" content="')[1].split('"')[0]
    assert f"style-src 'self' 'nonce-{nonce}'" in response.headers["Content-Security-Policy"]


def test_month_calendar_ignores_a_bad_month(client, staff, sign_in, edition):
    sign_in(staff)

    assert client.get(f"/etapes/planning/{edition.slug}/calendrier?mois=xx-99").status_code == 200


def test_timeline_groups_stops_by_week(client, staff, sign_in, make_stop):
    stop = make_stop(day=date(2026, 9, 16))
    sign_in(staff)

    html = client.get(f"/etapes/planning/{stop.edition.slug}/frise").get_data(as_text=True)

    week = html.index('data-week="2026-09-14"')
    assert week < html.index(f'data-stop-id="{stop.id}"') < html.index('data-week="2026-09-21"')


@pytest.mark.parametrize("path", ["", "/calendrier?mois=2026-09", "/frise"])
def test_planning_views_query_count_stays_flat(
    client, staff, sign_in, make_stop, query_counter, path
):
    stop = make_stop(day=date(2026, 9, 14), insee=ALBERT)
    slug = stop.edition.slug
    sign_in(staff)
    client.get(f"/etapes/planning/{slug}{path}")
    with query_counter() as one:
        assert client.get(f"/etapes/planning/{slug}{path}").status_code == 200

    make_stop(day=date(2026, 9, 15), insee=SAINT_QUENTIN, acknowledgements=[])
    make_stop(day=date(2026, 9, 19), insee=ALBERT)
    db.session.commit()
    with query_counter() as three:
        assert client.get(f"/etapes/planning/{slug}{path}").status_code == 200

    assert len(three) == len(one)


def test_public_list_query_count_stays_flat(client, make_stop, query_counter, make_territory):
    stop = make_stop(status=StopStatus.CONFIRMED, territory_id=make_territory("A").id)
    slug = stop.edition.slug
    with query_counter() as one:
        client.get(f"/etapes/edition/{slug}")
    for name in ("B", "C"):
        make_stop(status=StopStatus.CONFIRMED, territory_id=make_territory(name).id)
    db.session.commit()
    with query_counter() as three:
        client.get(f"/etapes/edition/{slug}")

    assert len(three) == len(one)


def test_staff_moves_a_stop_from_the_calendar_and_back(client, staff, sign_in, make_stop):
    stop = make_stop(day=date(2026, 9, 15))
    original = stop.starts_at
    sign_in(staff)
    back = f"/etapes/planning/{stop.edition.slug}/calendrier?mois=2026-09"

    response = client.post(f"/etapes/{stop.id}/deplacer", data={"day": "2026-09-17", "next": back})

    assert response.status_code == 302
    assert response.headers["Location"] == back
    db.session.refresh(stop)
    assert stop.starts_at == local_datetime(date(2026, 9, 17), time(9, 0))

    client.post(f"/etapes/{stop.id}/deplacer", data={"day": "2026-09-15"})
    db.session.refresh(stop)
    assert (stop.starts_at, stop.sequence) == (original, 2)


def test_move_with_a_bad_date_changes_nothing(client, staff, sign_in, make_stop):
    stop = make_stop()
    sign_in(staff)

    response = client.post(f"/etapes/{stop.id}/deplacer", data={"day": "not-a-date"})

    assert response.status_code == 302
    db.session.refresh(stop)
    assert stop.sequence == 0
    assert client.post("/etapes/999999/deplacer", data={"day": "2026-09-01"}).status_code == 404


def test_staff_confirm_and_cancel_through_the_page(client, staff, sign_in, make_stop):
    stop = make_stop()
    sign_in(staff)

    client.post(f"/etapes/{stop.id}/confirmer")
    client.post(f"/etapes/{stop.id}/annuler", data={"reason": "Grève"})

    db.session.refresh(stop)
    assert (stop.status, stop.cancel_reason, stop.sequence) == (StopStatus.CANCELLED, "Grève", 2)
    actions = db.session.scalars(
        select(StopChange.action).where(StopChange.stop_id == stop.id).order_by(StopChange.id)
    ).all()
    assert actions == ["confirmed", "cancelled"]
    html = client.get(f"/etapes/{stop.id}").get_data(as_text=True)
    assert 'data-action="cancelled"' in html


def test_confirming_twice_shows_an_error_not_a_crash(client, staff, sign_in, make_stop):
    stop = make_stop(status=StopStatus.CONFIRMED)
    sign_in(staff)

    assert client.post(f"/etapes/{stop.id}/confirmer").status_code == 302
    assert client.post(f"/etapes/{stop.id}/avertissements/bogus/acquitter").status_code == 302


def test_staff_acknowledges_a_warning_from_the_list(client, staff, sign_in, make_stop):
    stop = make_stop(day=date(2026, 9, 19))
    sign_in(staff)

    client.post(f"/etapes/{stop.id}/avertissements/weekend/acquitter")

    db.session.refresh(stop)
    assert [(a.code, a.by_id) for a in stop.acknowledgements] == [("weekend", staff.id)]


def test_staff_edit_form_reschedules_and_updates(client, staff, sign_in, make_stop):
    stop = make_stop(day=date(2026, 9, 15))
    sign_in(staff)
    assert client.get(f"/etapes/{stop.id}/modifier").status_code == 200

    response = client.post(
        f"/etapes/{stop.id}/modifier",
        data={
            "title": "Pithiviers",
            "day": "2026-09-16",
            "starts": "10:00",
            "ends": "16:00",
            "venue_name": "Mairie",
            "commune_insee": "45252",
            "host_contacts-0-name": "Paul",
            "host_contacts-0-email": "paul@example.org",
            "agenda-0-title": "Innover",
            "agenda-0-starts_on": "10:30",
        },
    )

    assert response.status_code == 302
    db.session.refresh(stop)
    assert stop.starts_at == datetime(2026, 9, 16, 8, 0, tzinfo=UTC)
    assert stop.venue_name == "Mairie"
    assert stop.host_contacts[0]["email"] == "paul@example.org"
    assert [i.title for i in stop.agenda_items] == ["Innover"]
    # One form, one announced change: the sequence rises once.
    assert stop.sequence == 1
    actions = [c.action for c in stop.changes]
    assert actions == ["updated", "rescheduled", "agenda"]


def test_staff_edit_form_keeps_input_and_shows_errors(client, staff, sign_in, make_stop, english):
    stop = make_stop()
    sign_in(staff)

    response = client.post(
        f"/etapes/{stop.id}/modifier",
        data={
            "title": "Gardé",
            "day": "2026-09-16",
            "starts": "18:00",
            "ends": "10:00",
            "commune_insee": "99999",
        },
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Gardé"' in html
    assert "The stop must end after it starts." in html
    assert "No commune has this INSEE code." in html


# --- Territory contacts ---------------------------------------------------------------


def test_host_edits_venue_and_agenda_but_not_the_date(client, host, sign_in, make_stop):
    stop = _hosted(make_stop, day=date(2026, 9, 15))
    starts_at = stop.starts_at
    sign_in(host)

    form = client.get(f"/etapes/{stop.id}/modifier").get_data(as_text=True)
    assert 'name="day"' not in form

    response = client.post(
        f"/etapes/{stop.id}/modifier",
        data={
            "venue_name": "Salle polyvalente",
            "venue_address": "1 rue de la Gare",
            "agenda-0-title": "Compétences",
            "day": "2026-12-25",
            "title": "Piraté",
        },
    )

    assert response.status_code == 302
    db.session.refresh(stop)
    assert (stop.venue_name, stop.venue_address) == ("Salle polyvalente", "1 rue de la Gare")
    assert [i.title for i in stop.agenda_items] == ["Compétences"]
    assert (stop.starts_at, stop.title) == (starts_at, "Pithiviers")
    assert client.post(f"/etapes/{stop.id}/deplacer", data={"day": "2026-09-20"}).status_code == 403
    assert client.post(f"/etapes/{stop.id}/confirmer").status_code == 403


def test_application_member_edits_their_stop(client, host, sign_in, make_accepted, staff, now):
    from coordination.stops.services import create_stop_from_application

    other = db.session.scalar(select(Stop))  # none yet
    assert other is None
    application = make_accepted(members=[host], **{"contacts-0-email": "someone@else.example"})
    stop = create_stop_from_application(application, staff, now)
    sign_in(host)

    assert client.get(f"/etapes/{stop.id}/modifier").status_code == 200
    assert client.get(f"/etapes/{stop.id}").status_code == 200


def test_territory_contact_cannot_edit_another_stop(client, make_user, sign_in, make_stop):
    stop = _hosted(make_stop)
    sign_in(make_user("autre@territoire.example", roles=("territory_contact",)))

    assert client.get(f"/etapes/{stop.id}/modifier").status_code == 403
    assert client.post(f"/etapes/{stop.id}/modifier", data={"venue_name": "X"}).status_code == 403


def test_host_email_without_the_territory_role_is_not_enough(client, make_user, sign_in, make_stop):
    stop = _hosted(make_stop)
    sign_in(make_user("sandrine@territoire.example", roles=("partner_contact",)))

    assert client.get(f"/etapes/{stop.id}/modifier").status_code == 403


def test_anonymous_edit_goes_to_sign_in(client, make_stop):
    stop = make_stop()

    assert client.get(f"/etapes/{stop.id}/modifier").status_code == 302


def test_staff_saves_the_editions_rules(client, staff, sign_in, edition, make_stop):
    stop = make_stop(day=date(2026, 8, 4))
    sign_in(staff)

    response = client.post(
        f"/etapes/planning/{edition.slug}/regles",
        data={"max_stops_per_week": "2", "max_km_per_day": "250", "is_parallel_allowed": "y"},
    )

    assert response.status_code == 302
    rules = db.session.scalar(select(StopRules).where(StopRules.edition_id == edition.id))
    assert (rules.max_stops_per_week, rules.max_km_per_day) == (2, 250)
    assert (rules.is_august_break, rules.is_parallel_allowed) == (False, True)
    html = client.get(f"/etapes/planning/{edition.slug}").get_data(as_text=True)
    assert f'data-testid="warnings-{stop.id}"' not in html


def test_bad_rules_show_errors(client, staff, sign_in, edition):
    sign_in(staff)

    response = client.post(
        f"/etapes/planning/{edition.slug}/regles",
        data={"max_stops_per_week": "0", "max_km_per_day": "abc"},
    )

    assert response.status_code == 400
    assert response.get_data(as_text=True).count('class="error"') == 2


def test_unknown_stop_or_edition_is_404_for_staff(client, staff, sign_in):
    sign_in(staff)

    assert client.get("/etapes/999999/modifier").status_code == 404
    assert client.post("/etapes/999999/confirmer").status_code == 404
    assert client.get("/etapes/planning/nope/frise").status_code == 404


def test_stop_page_writes_agenda_times_as_french_readers_expect(client, make_stop):
    from coordination.stops.models import AgendaItem

    stop = make_stop(status=StopStatus.CONFIRMED)
    stop.agenda_items.append(AgendaItem(title="Accueil", starts_on=time(9, 0)))
    stop.agenda_items.append(
        AgendaItem(title="Ateliers", starts_on=time(10, 30), ends_on=time(12, 0))
    )
    db.session.commit()

    html = client.get(f"/etapes/{stop.id}").get_data(as_text=True)

    assert "<td>9\u00a0h</td>" in html
    assert "<td>10\u00a0h\u00a030–12\u00a0h</td>" in html
    assert "09:00" not in html and "10:30" not in html
