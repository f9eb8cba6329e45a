"""The organisers' and staff's pages of open programmes."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.programmes import staff_views, views
from coordination.programmes.models import EventCall, EventStatus, ProgrammeEvent
from coordination.stops.models import Stop
from tests.programmes.conftest import ARRAS, form_data


@pytest.fixture(autouse=True)
def _clock(monkeypatch, now):
    monkeypatch.setattr(views, "utcnow", lambda: now)
    monkeypatch.setattr(staff_views, "utcnow", lambda: now)


def _events():
    return list(db.session.scalars(select(ProgrammeEvent).order_by(ProgrammeEvent.id)))


def test_partner_proposes_saves_a_draft_then_submits(client, sign_in, week, make_partner):
    user, organisation = make_partner()
    sign_in(user)
    page = client.get("/partenaire/evenements")
    assert page.status_code == 200 and f"/partenaire/evenements/proposer/{week.id}" in page.text
    form = client.get(f"/partenaire/evenements/proposer/{week.id}")
    assert form.status_code == 200 and organisation.name in form.text
    data = form_data(organisation_ids=[str(organisation.id)], description="")
    response = client.post(f"/partenaire/evenements/proposer/{week.id}", data=data)
    assert response.status_code == 302
    [event] = _events()
    assert event.status == EventStatus.DRAFT and event.commune_insee == ARRAS
    assert [o.id for o in event.organisers] == [organisation.id]
    # Submitting an incomplete draft keeps it, with what is missing.
    data["action"] = "submit"
    client.post(f"/partenaire/evenements/{event.id}", data=data, follow_redirects=True)
    db.session.refresh(event)
    assert event.status == EventStatus.DRAFT
    data["description"] = "Démonstrations de cobots."
    response = client.post(f"/partenaire/evenements/{event.id}", data=data)
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.status == EventStatus.SUBMITTED and event.description.startswith("Démo")


def test_bad_input_keeps_what_was_typed(client, sign_in, week, make_partner):
    user, organisation = make_partner()
    sign_in(user)
    data = form_data(organisation_ids=[str(organisation.id)], ends="08:00", title="Mon atelier")
    response = client.post(f"/partenaire/evenements/proposer/{week.id}", data=data)
    assert response.status_code == 422
    assert 'value="Mon atelier"' in response.text
    response = client.post(
        f"/partenaire/evenements/proposer/{week.id}",
        data=form_data(organisation_ids=[], commune_name="Nulle-Part-Sur-Rien", commune_insee=""),
    )
    assert response.status_code == 422
    assert _events() == []


def test_after_the_deadline_the_draft_is_kept(client, sign_in, week, make_partner, monkeypatch):
    user, organisation = make_partner()
    sign_in(user)
    data = form_data(organisation_ids=[str(organisation.id)])
    client.post(f"/partenaire/evenements/proposer/{week.id}", data=data)
    [event] = _events()
    late = datetime(2026, 3, 7, tzinfo=UTC)
    monkeypatch.setattr(views, "utcnow", lambda: late)
    data.update(action="submit", title="Atelier robotique (v2)")
    response = client.post(f"/partenaire/evenements/{event.id}", data=data, follow_redirects=True)
    assert response.status_code == 200
    db.session.refresh(event)
    assert event.status == EventStatus.DRAFT and event.title == "Atelier robotique (v2)"


def test_another_organisation_cannot_see_or_edit(client, sign_in, make_partner, make_event):
    _user, organisation = make_partner()
    stranger, _other = make_partner()
    event = make_event([organisation])
    sign_in(stranger)
    assert client.get(f"/partenaire/evenements/{event.id}").status_code == 404
    response = client.post(f"/partenaire/evenements/{event.id}", data=form_data())
    assert response.status_code == 404
    assert client.get(f"/gestion/evenements/{event.id}").status_code == 403


def test_staff_call_form_validates(client, sign_in, staff, week):
    sign_in(staff)
    url = f"/gestion/editions/{week.id}/appel-evenements"
    assert client.get(url).status_code == 200
    response = client.post(
        url, data={"opens_at": "2026-05-02T09:00", "closes_at": "2026-05-01T09:00"}
    )
    assert response.status_code == 422
    response = client.post(
        url,
        data={
            "opens_at": "2026-05-01T09:00",
            "closes_at": "2026-05-20T18:00",
            "region_code": "32",
            "instructions": "Trois lignes",
        },
    )
    assert response.status_code == 302
    call = db.session.scalar(select(EventCall).where(EventCall.edition_id == week.id))
    assert call.closes_at == datetime(2026, 5, 20, 16, 0, tzinfo=UTC).replace(tzinfo=None) or (
        call.closes_at.replace(tzinfo=UTC) == datetime(2026, 5, 20, 16, 0, tzinfo=UTC)
    )


def test_staff_review_list_and_publish(client, sign_in, staff, week, make_partner, make_event):
    user, organisation = make_partner()
    event = make_event([organisation], status="submitted", title="Table ronde IA")
    make_event([organisation], title="Brouillon caché")
    make_event([organisation], status="submitted", title="Salon", format="exhibition")
    sign_in(staff)
    listing = client.get(f"/gestion/editions/{week.id}/evenements")
    assert "Table ronde IA" in listing.text and "Brouillon caché" not in listing.text
    filtered = client.get(f"/gestion/editions/{week.id}/evenements?format=exhibition&sort=-title")
    assert "Salon" in filtered.text and "Table ronde IA" not in filtered.text
    assert (
        client.get(f"/gestion/editions/{week.id}/evenements?status=bogus&page=x").status_code == 200
    )
    response = client.post(f"/gestion/evenements/{event.id}/renvoyer", data={"comment": ""})
    assert response.status_code == 422
    response = client.post(f"/gestion/evenements/{event.id}/publier", data={"comment": ""})
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.status == EventStatus.PUBLISHED
    stop = db.session.get(Stop, event.stop_id)
    assert client.get(f"/etapes/{stop.id}").status_code == 200
    # The organiser now manages the stop's registrants; another organisation may not.
    client.post("/deconnexion")
    sign_in(user)
    assert client.get(f"/etapes/{stop.id}/participants").status_code == 200


def test_organiser_edits_published_event(client, sign_in, staff, make_partner, make_event, now):
    from coordination.programmes.services import publish_event

    user, organisation = make_partner()
    stranger, _other = make_partner()
    event = make_event([organisation], status="submitted")
    stop = publish_event(event, staff, now)
    sequence = stop.sequence
    sign_in(user)
    data = form_data(organisation_ids=[str(organisation.id)], day="2026-03-19")
    response = client.post(f"/partenaire/evenements/{event.id}", data=data)
    assert response.status_code == 302
    db.session.refresh(stop)
    assert stop.sequence > sequence and stop.city == "Arras"
    client.post("/deconnexion")
    sign_in(stranger)
    assert client.get(f"/etapes/{stop.id}/participants").status_code == 403


def test_staff_send_back_withdraw_and_refused_moves(
    client, sign_in, staff, make_partner, make_event
):
    _user, organisation = make_partner()
    event = make_event([organisation], status="submitted")
    sign_in(staff)
    response = client.post(
        f"/gestion/evenements/{event.id}/renvoyer", data={"comment": "Précisez l'adresse."}
    )
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.status == EventStatus.RETURNED and event.review_comment == "Précisez l'adresse."
    # Publishing a sent-back event is refused with a message, not a 500.
    response = client.post(f"/gestion/evenements/{event.id}/publier", data={"comment": ""})
    assert response.status_code == 422 and "Seul un événement soumis" in response.text
    response = client.post(f"/gestion/evenements/{event.id}/retirer", data={"comment": ""})
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.status == EventStatus.WITHDRAWN
    assert client.post(f"/gestion/evenements/{event.id}/retirer").status_code == 422
    assert client.get("/gestion/evenements/999999").status_code == 404
    assert client.post("/gestion/evenements/1/effacer").status_code == 404


def test_call_page_only_for_weeks_of_innovation(client, sign_in, staff, edition):
    sign_in(staff)
    assert client.get(f"/gestion/editions/{edition.id}/appel-evenements").status_code == 404
    assert client.get(f"/gestion/editions/{edition.id}/evenements").status_code == 404


def test_proposals_refused_when_the_call_is_closed(
    client, sign_in, week, make_partner, monkeypatch
):
    user, organisation = make_partner()
    monkeypatch.setattr(views, "utcnow", lambda: datetime(2026, 3, 7, tzinfo=UTC))
    sign_in(user)
    page = client.get(f"/partenaire/evenements/proposer/{week.id}")
    assert (
        "L’appel à événements est clos." in page.text or "appel à événements est clos" in page.text
    )
    data = form_data(organisation_ids=[str(organisation.id)])
    response = client.post(f"/partenaire/evenements/proposer/{week.id}", data=data)
    assert response.status_code == 422 and 'value="Atelier robotique"' in response.text
    assert _events() == []


def test_edit_page_shows_the_event_as_saved(client, sign_in, make_partner, make_event):
    user, organisation = make_partner()
    event = make_event([organisation], is_registration_required=False, capacity=None)
    sign_in(user)
    html = client.get(f"/partenaire/evenements/{event.id}").get_data(as_text=True)
    assert '<input checked id="is_registration_required-1"' in html
    assert 'value="Portes ouvertes du laboratoire"' in html and 'value="14:00"' in html
    assert (
        'checked id="organisation_ids-0" name="organisation_ids" type="checkbox" '
        f'value="{organisation.id}"' in html
    )


def test_staff_edit_a_published_event(client, sign_in, staff, make_partner, make_event, now):
    from coordination.programmes.services import publish_event

    _user, organisation = make_partner()
    event = make_event([organisation], status="submitted")
    stop = publish_event(event, staff, now)
    sign_in(staff)
    page = client.get(f"/partenaire/evenements/{event.id}")
    assert page.status_code == 200 and f"/gestion/evenements/{event.id}" in page.text
    data = form_data(organisation_ids=[str(organisation.id)], venue_name="Amphi C")
    assert client.post(f"/partenaire/evenements/{event.id}", data=data).status_code == 302
    db.session.refresh(stop)
    assert stop.venue_name == "Amphi C"
