"""Pages: the public form, the signed links, the host's list, exports, the observatory."""

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from coordination.extensions import db
from coordination.participants import services
from coordination.participants.models import NeedResponse, Registration
from coordination.stops.models import StopStatus
from tests.participants.conftest import outbox, person, workshops_of

FORM = {
    "first_name": "Alice",
    "last_name": "Martin",
    "email": "alice@example.org",
    "company_name": "Usinage Martin",
    "siret": "",
    "company_size": "small",
    "naf_code": "2562B",
    "commune": "45252",
    "consent": "y",
}


def test_register_page_post_creates_registration(client, stop, app):
    workshop = workshops_of(stop)[0]
    db.session.commit()
    response = client.post(
        f"/etapes/{stop.id}/inscription", data={**FORM, "workshops": [str(workshop.id)]}
    )
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert registration.naf_code == "25.62B"
    assert registration.sector == "C"
    assert registration.commune_insee == "45252"
    assert [s.workshop_id for s in registration.seats] == [workshop.id]
    assert response.location.endswith(
        f"/inscriptions/{services.make_token('registration', registration.id)}"
    )


def test_register_page_bad_siret_and_naf_and_no_consent_show_errors(client, stop):
    db.session.commit()
    data = {**FORM, "siret": "12345678901234", "naf_code": "xx", "consent": ""}
    response = client.post(f"/etapes/{stop.id}/inscription", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="siret-error"' in html
    assert 'id="naf_code-error"' in html
    assert 'id="consent-error"' in html
    assert 'value="Usinage Martin"' in html
    assert db.session.scalar(select(Registration)) is None


def test_register_page_unknown_stop_404(client):
    assert client.get("/etapes/99999/inscription").status_code == 404


def test_cancel_link_get_shows_button_post_cancels(client, stop, register):
    registration = register(stop, 1)
    db.session.commit()
    token = services.make_token("registration", registration.id)
    page = client.get(f"/inscriptions/{token}")
    assert page.status_code == 200
    assert 'id="cancel-form"' in page.get_data(as_text=True)
    assert registration.cancelled_at is None
    response = client.post(f"/inscriptions/{token}/annuler")
    assert response.status_code == 302
    db.session.refresh(registration)
    assert registration.cancelled_at is not None


def test_bad_token_404(client):
    assert client.get("/inscriptions/nope").status_code == 404
    assert client.get("/inscriptions/offre/nope").status_code == 404
    assert client.get("/questionnaire/nope").status_code == 404


def test_participants_list_forbidden_to_strangers(client, stop, make_user, sign_in):
    user = make_user("other@example.org", roles=("territory_contact",))
    sign_in(user)
    assert client.get(f"/etapes/{stop.id}/participants").status_code == 403


def test_participants_list_host_sees_and_checks_in(client, stop, register, make_user, sign_in):
    stop.host_contacts = [{"name": "Host", "email": "host@example.org"}]
    registration = register(stop, 1)
    host = make_user("host@example.org", roles=("territory_contact",))
    sign_in(host)
    page = client.get(f"/etapes/{stop.id}/participants?q=nom1")
    assert f'id="r{registration.id}"' in page.get_data(as_text=True)
    response = client.post(
        f"/etapes/{stop.id}/participants/{registration.id}/presence", data={"present": "1"}
    )
    assert response.status_code == 302
    db.session.refresh(registration)
    assert registration.checked_in_at is not None
    sheet = client.get(f"/etapes/{stop.id}/participants/emargement")
    assert "NOM1" in sheet.get_data(as_text=True)


def test_participants_list_query_count_same_for_1_and_3(
    client, stop, register, staff, sign_in, query_counter
):
    register(stop, 1)
    sign_in(staff)
    with query_counter() as one:
        assert client.get(f"/etapes/{stop.id}/participants").status_code == 200
    register(stop, 2)
    register(stop, 3)
    db.session.commit()
    with query_counter() as three:
        assert client.get(f"/etapes/{stop.id}/participants").status_code == 200
    assert len(three) == len(one)


def test_exports_csv_and_xlsx(client, stop, register, staff, sign_in):
    register(stop, 1)
    sign_in(staff)
    csv = client.get(f"/etapes/{stop.id}/participants.csv")
    text = csv.get_data(as_text=True)
    assert text.startswith("\ufeff")
    assert text.splitlines()[1].startswith("Nom1;Prénom1;p1@example.org")
    xlsx = client.get(f"/etapes/{stop.id}/participants.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["A2"].value == "Nom1"
    assert sheet.max_row == 2


def test_workshop_capacity_saved_by_staff(client, stop, staff, sign_in):
    workshop = workshops_of(stop)[0]
    sign_in(staff)
    prefix = f"w{workshop.id}"
    client.post(
        f"/etapes/{stop.id}/ateliers/{workshop.id}",
        data={f"{prefix}-capacity": "30", f"{prefix}-is_open": "y"},
    )
    db.session.refresh(workshop)
    assert workshop.capacity == 30


def _answered(stop, edition, n_people, start, score=4):
    questionnaire = services.get_or_create_questionnaire(edition)
    if not questionnaire.questions:
        services.add_question(
            questionnaire, {"kind": "scale", "theme": "innovation", "label_fr": "Innovation"}
        )
    question = questionnaire.questions[0]
    for n in range(start, start + n_people):
        registration = services.register(stop, person(n), [], "fr", stop.starts_at - timedelta(1))
        services.set_checked_in(registration, True, stop.starts_at)
        answers = {str(question.id): score}
        services.submit_answers(registration, questionnaire, answers, stop.ends_at)
    return questionnaire


def test_answer_page_records_answers_once(client, stop, edition, register):
    questionnaire = _answered(stop, edition, 0, 1)
    registration = register(stop, 50)
    services.set_checked_in(registration, True, stop.starts_at)
    db.session.commit()
    token = services.make_token("answer", registration.id)
    url = f"/questionnaire/{token}"
    field = f"q{questionnaire.questions[0].id}"
    assert client.post(url, data={field: "9"}).status_code == 422
    assert client.post(url, data={field: "5"}).status_code == 302
    response = db.session.scalar(
        select(NeedResponse).where(NeedResponse.registration_id == registration.id)
    )
    assert response.answers == {questionnaire.questions[0].id.__str__(): 5}
    assert 'id="answered"' in client.get(url).get_data(as_text=True)


def test_observatory_hides_cells_under_five(
    client, make_stop, make_territory, edition, staff, sign_in
):
    small = make_stop(territory=make_territory("Petit"), title="Petit")
    big = make_stop(territory=make_territory("Grand"), title="Grand")
    for s in (small, big):
        s.status = StopStatus.CONFIRMED
    _answered(small, edition, 4, 100)
    _answered(big, edition, 5, 200)
    sign_in(staff)
    client.post("/langue", data={"locale": "en"})
    html = client.get("/observatoire?par=territory").get_data(as_text=True)
    grand = html.split(f'data-key="{big.territory_id}"')[1].split("</tr>")[0]
    petit = html.split(f'data-key="{small.territory_id}"')[1].split("</tr>")[0]
    assert ">4.0<" in grand and "&lt; 5" not in grand
    assert "&lt; 5" in petit and "4.0" not in petit
    csv = client.get("/observatoire/reponses.csv").get_data(as_text=True)
    lines = csv.splitlines()
    assert len(lines) == 1 + 5
    assert all("Grand" in line for line in lines[1:])
    assert "example.org" not in csv


def test_observatory_permissions(client, make_stop, make_territory, edition, make_user, sign_in):
    mine = make_stop(territory=make_territory("Mien"), title="Mien")
    theirs = make_stop(territory=make_territory("Autre"), title="Autre")
    mine.host_contacts = [{"name": "Host", "email": "host@example.org"}]
    _answered(mine, edition, 5, 100)
    _answered(theirs, edition, 5, 200)
    host = make_user("host@example.org", roles=("territory_contact",))
    stranger = make_user("stranger@example.org", roles=("territory_contact",))
    assert client.get("/observatoire").status_code == 302  # sign in first
    sign_in(stranger)
    assert client.get("/observatoire").status_code == 403
    client.post("/deconnexion")
    sign_in(host)
    html = client.get("/observatoire").get_data(as_text=True)
    assert f'data-key="{mine.territory_id}"' in html
    assert f'data-key="{theirs.territory_id}"' not in html
    assert "Autre" not in client.get("/observatoire/reponses.csv").get_data(as_text=True)


def test_questionnaire_edit_staff_only(client, edition, staff, make_user, sign_in):
    db.session.commit()
    sign_in(make_user("p@example.org", roles=("partner_contact",)))
    assert client.get(f"/questionnaires/{edition.slug}").status_code == 403
    client.post("/deconnexion")
    sign_in(staff)
    response = client.post(
        f"/questionnaires/{edition.slug}",
        data={"kind": "scale", "theme": "training", "label_fr": "Formation"},
    )
    assert response.status_code == 302
    assert services.questionnaire_for(edition.id).questions[0].theme == "training"
    assert outbox() == []
