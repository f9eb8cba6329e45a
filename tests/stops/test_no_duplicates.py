"""Creating stops from accepted applications never makes a second stop for a territory."""

from datetime import date

from sqlalchemy import select

from coordination.stops.models import Stop
from coordination.stops.services import (
    create_manual_stop,
    create_stops_from_accepted,
    link_application,
    pending_from_applications,
)
from coordination.territories.models import Commune


def _by_hand(edition, territory, staff, now):
    return create_manual_stop(
        edition,
        territory=territory,
        commune=_albert(),
        day=date(2026, 9, 8),
        by=staff,
        now=now,
    )


def _albert():
    from coordination.extensions import db

    return db.session.get(Commune, "80016")


def test_a_territory_with_a_stop_gets_no_second_one(
    client, edition, make_accepted, make_territory, staff, sign_in, now, db_session
):
    territory = make_territory("Coquelicot")
    existing = _by_hand(edition, territory, staff, now)
    duplicate = make_accepted(territory=territory)
    other = make_accepted()

    creatable, duplicates = pending_from_applications(edition)
    assert creatable == [other]
    assert duplicates == [(duplicate, existing)]

    sign_in(staff)
    response = client.post(f"/etapes/planning/{edition.slug}/depuis-candidatures")
    assert response.status_code == 302
    stops = db_session.scalars(
        select(Stop).where(Stop.territory_id == territory.id, Stop.edition_id == edition.id)
    ).all()
    assert stops == [existing]
    assert db_session.scalar(select(Stop).where(Stop.application_id == other.id)) is not None
    page = client.get(f"/etapes/planning/{edition.slug}").get_data(as_text=True)
    section = page[page.index('id="duplicates"') :]
    assert f'data-application-id="{duplicate.id}"' in section
    assert f'action="/etapes/{existing.id}/lier/{duplicate.id}"' in section

    client.post(f"/etapes/{existing.id}/lier/{duplicate.id}")
    db_session.refresh(existing)
    assert existing.application_id == duplicate.id
    assert existing.changes[-1].changes == {"application_id": [None, duplicate.id]}
    assert pending_from_applications(edition) == ([], [])
    assert 'id="duplicates"' not in client.get(f"/etapes/planning/{edition.slug}").get_data(
        as_text=True
    )


def test_two_applications_of_one_territory_make_one_stop(
    edition, make_accepted, make_territory, staff, now
):
    territory = make_territory("Coquelicot")
    first = make_accepted(territory=territory)
    second = make_accepted(territory=territory)
    (stop,) = create_stops_from_accepted(edition, staff, now)
    assert stop.application_id == first.id
    assert pending_from_applications(edition) == ([], [(second, stop)])
    assert create_stops_from_accepted(edition, staff, now) == []


def test_linking_refuses_another_territory_or_a_linked_stop(
    client, edition, make_accepted, make_territory, staff, sign_in, now, db_session
):
    territory = make_territory("Coquelicot")
    stop = _by_hand(edition, territory, staff, now)
    stranger = make_accepted()
    sign_in(staff)
    response = client.post(f"/etapes/{stop.id}/lier/{stranger.id}", follow_redirects=True)
    assert "Seule une candidature acceptée" in response.get_data(as_text=True)
    db_session.refresh(stop)
    assert stop.application_id is None
    assert client.post(f"/etapes/{stop.id}/lier/999999").status_code == 404
    first = make_accepted(territory=territory)
    link_application(stop, first, staff, now)
    second = make_accepted(territory=territory)
    response = client.post(f"/etapes/{stop.id}/lier/{second.id}", follow_redirects=True)
    assert "vient déjà d’une candidature" in response.get_data(as_text=True)


def test_only_staff_link(client, edition, make_accepted, make_territory, make_user, sign_in, now):
    territory = make_territory("Coquelicot")
    stop = _by_hand(edition, territory, None, now)
    application = make_accepted(territory=territory)
    sign_in(make_user("x@example.org", roles=("territory_contact",)))
    assert client.post(f"/etapes/{stop.id}/lier/{application.id}").status_code == 403
