"""Applying: the one-time link, drafts, submission with every error at once, the deadline."""

import io
import re
from datetime import timedelta

from sqlalchemy import select

from coordination.auth.models import User
from coordination.campaigns.models import Application
from coordination.notifications.models import OutboxMessage
from tests.campaigns.conftest import PDF, add_question, complete_answers


def _link(message: OutboxMessage) -> str:
    return re.search(r"(/connexion/lien/[A-Za-z0-9_-]+)", message.text_body).group(1)


def _follow_link(client, db_session, email):
    message = db_session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.to_email == email, OutboxMessage.template == "auth/login_link")
        .order_by(OutboxMessage.id.desc())
    )
    response = client.post(_link(message))
    assert response.status_code == 302
    return response


def test_request_link_creates_a_territory_contact_and_lands_on_the_form(client, call, db_session):
    db_session.commit()
    response = client.post(f"/appels/{call.id}", data={"email": "New@Territoire.example"})
    assert response.status_code == 200
    assert 'id="link-sent"' in response.get_data(as_text=True)
    user = db_session.scalar(select(User).where(User.email == "new@territoire.example"))
    assert user.roles == {"territory_contact"}
    landing = _follow_link(client, db_session, "new@territoire.example")
    assert landing.headers["Location"] == f"/appels/{call.id}/candidature"
    page = client.get(landing.headers["Location"])
    assert page.status_code == 200
    assert 'id="application-form"' in page.get_data(as_text=True)


def test_draft_save_keeps_everything_and_resumes_from_a_new_link(
    client, call, territory, contact, sign_in, db_session
):
    sign_in(contact)
    response = client.post(
        f"/appels/{call.id}/candidature",
        data={"action": "save", "motivation": "Notre histoire", "host_city": "Pithiviers"},
    )
    assert response.status_code == 302
    application = db_session.scalar(select(Application).where(Application.call_id == call.id))
    assert application.status == "draft"
    assert application.form_data["motivation"] == ["Notre histoire"]
    client.post("/deconnexion")
    client.post(f"/appels/{call.id}", data={"email": contact.email})
    _follow_link(client, db_session, contact.email)
    body = client.get(f"/appels/{call.id}/candidature").get_data(as_text=True)
    assert "Notre histoire" in body
    assert 'value="Pithiviers"' in body


def test_autosave_returns_json_and_stores_the_draft(client, call, contact, sign_in, db_session):
    sign_in(contact)
    response = client.post(f"/appels/{call.id}/candidature/brouillon", data={"venue": "Halle"})
    assert response.status_code == 200
    assert "saved_at" in response.get_json()
    # « Brouillon enregistré à 14 h 30 », not « 14:30 ».
    assert re.search(r"\d\u00a0h", response.get_json()["message"])
    assert not re.search(r"\d:\d\d", response.get_json()["message"])
    application = db_session.scalar(select(Application).where(Application.call_id == call.id))
    assert application.form_data == {"venue": ["Halle"]}


def test_submit_with_empty_form_shows_every_error_and_keeps_input(
    client, call, contact, sign_in, db_session
):
    question = add_question(call, "short_text", "Budget", is_required=True)
    file_question = add_question(call, "file", "Lettre", is_required=True, position=20)
    sign_in(contact)
    client.post("/langue", data={"locale": "en"})
    response = client.post(
        f"/appels/{call.id}/candidature", data={"action": "submit", "venue": "Halle aux grains"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    for field_id in (
        "territory_id",
        "host_city",
        "themes",
        "partners",
        "expected_smes",
        "motivation",
        f"q_{question.id}",
        f"file_{file_question.id}",
        "contacts",
        "availability",
    ):
        assert f'id="{field_id}-error"' in body, field_id
    assert 'value="Halle aux grains"' in body
    application = db_session.scalar(select(Application).where(Application.call_id == call.id))
    assert application.status == "draft"


def test_submit_complete_application_sends_confirmation_with_summary(
    client, call, territory, contact, sign_in, db_session
):
    sign_in(contact)
    response = client.post(
        f"/appels/{call.id}/candidature",
        data={"action": "submit", **complete_answers(territory.id)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    application = db_session.scalar(select(Application).where(Application.call_id == call.id))
    assert application.status == "submitted"
    assert response.headers["Location"] == f"/appels/candidatures/{application.id}"
    message = db_session.scalar(
        select(OutboxMessage).where(OutboxMessage.template == "campaigns/submitted")
    )
    assert message.to_email == contact.email
    assert message.idempotency_key == f"campaigns:submitted:{application.id}:user:{contact.id}"
    assert "Salle des fêtes" in message.text_body
    assert "Pithiverais" in message.text_body


def test_submit_after_deadline_is_refused_with_a_clear_message(
    client, make_call, territory, contact, sign_in, db_session, monkeypatch
):
    from coordination.campaigns import views
    from coordination.core.clock import utcnow

    call = make_call(closes_at=utcnow() + timedelta(hours=1))
    sign_in(contact)
    client.post(f"/appels/{call.id}/candidature", data={"action": "save", "venue": "Halle"})
    monkeypatch.setattr(views, "utcnow", lambda: call.closes_at)
    client.post("/langue", data={"locale": "en"})
    response = client.post(
        f"/appels/{call.id}/candidature",
        data={"action": "submit", **complete_answers(territory.id)},
    )
    assert response.status_code == 409
    assert "The deadline has passed" in response.get_data(as_text=True)
    application = db_session.scalar(select(Application).where(Application.call_id == call.id))
    assert application.status == "draft"
    assert application.form_data == {"venue": ["Halle"]}


def test_submit_one_second_before_deadline_is_accepted(
    client, make_call, territory, contact, sign_in, db_session, monkeypatch
):
    from coordination.campaigns import views
    from coordination.core.clock import utcnow

    call = make_call(closes_at=utcnow() + timedelta(hours=1))
    sign_in(contact)
    monkeypatch.setattr(views, "utcnow", lambda: call.closes_at - timedelta(seconds=1))
    response = client.post(
        f"/appels/{call.id}/candidature",
        data={"action": "submit", **complete_answers(territory.id)},
    )
    assert response.status_code == 302


def test_upload_pdf_is_stored_outside_static_under_a_random_name(
    app, client, call, contact, sign_in, db_session
):
    sign_in(contact)
    response = client.post(
        f"/appels/{call.id}/candidature",
        data={"action": "save", "files": (io.BytesIO(PDF), "dossier.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    application = db_session.scalar(select(Application).where(Application.call_id == call.id))
    (record,) = application.files
    assert record.content_type == "application/pdf"
    assert record.original_name == "dossier.pdf"
    assert record.stored_name != "dossier.pdf"
    stored = app.instance_path + "/uploads/" + record.stored_name
    with open(stored, "rb") as handle:
        assert handle.read() == PDF
    download = client.get(f"/appels/candidatures/{application.id}/fichiers/{record.id}")
    assert download.status_code == 200
    assert download.data == PDF


def test_nested_rows_errors_are_in_french(client, call, contact, sign_in, db_session):
    sign_in(contact)
    response = client.post(
        f"/appels/{call.id}/candidature",
        data={
            "action": "submit",
            "contacts-0-name": "Lina",
            "contacts-0-email": "pas-une-adresse",
            "availability-0-start": "31/02/2026",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Adresse électronique non valide." in body
    assert "Invalid email address." not in body
    assert "Not a valid date value." not in body
