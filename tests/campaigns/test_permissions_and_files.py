"""Who may read what, and which files are accepted."""

import io

import pytest
from sqlalchemy import select

from coordination.campaigns import services
from coordination.campaigns.catalogue import MAX_APPLICATION_BYTES, MAX_FILE_BYTES
from coordination.campaigns.models import Application, ApplicationFile, Review
from coordination.campaigns.services import CampaignError
from tests.campaigns.conftest import EXE, PDF, make_application

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_contact_cannot_read_another_territorys_application(
    client, call, make_territory, make_user, sign_in
):
    ours = make_user("a@territoire.example", roles=("territory_contact",))
    theirs = make_user("b@territoire.example", roles=("territory_contact",))
    application = make_application(call, make_territory("Autre"), [theirs])
    record = ApplicationFile(
        application_id=application.id,
        original_name="x.pdf",
        stored_name="abc.pdf",
        content_type="application/pdf",
        size_bytes=3,
        created_at=application.submitted_at,
    )
    from coordination.extensions import db

    db.session.add(record)
    db.session.flush()
    sign_in(ours)
    assert client.get(f"/appels/candidatures/{application.id}").status_code == 404
    assert (
        client.get(f"/appels/candidatures/{application.id}/fichiers/{record.id}").status_code == 404
    )
    assert client.post(f"/appels/candidatures/{application.id}/retrait").status_code == 404


def test_member_reads_own_application(client, call, territory, contact, sign_in):
    application = make_application(call, territory, [contact])
    sign_in(contact)
    assert client.get(f"/appels/candidatures/{application.id}").status_code == 200


def test_reviewer_reads_only_assigned_applications(
    client, call, make_territory, make_user, contact, sign_in, now
):
    reviewer = make_user("r@example.org", roles=("reviewer",))
    assigned = make_application(call, make_territory("Un"), [contact])
    other = make_application(call, make_territory("Deux"), [contact])
    services.assign_reviewer(assigned, reviewer, now)
    sign_in(reviewer)
    assert client.get(f"/appels/candidatures/{assigned.id}").status_code == 200
    assert client.get(f"/appels/candidatures/{other.id}").status_code == 404
    # Another reviewer's review (a contact of the territory may not review it: conflicts.py).
    other_review = services.assign_reviewer(
        other, make_user("r2@example.org", roles=("reviewer",)), now
    )
    assert client.get(f"/appels/relectures/{other_review.id}").status_code == 404


def test_staff_pages_refuse_contacts_and_reviewers(client, call, make_user, sign_in):
    reviewer = make_user("r@example.org", roles=("reviewer", "territory_contact"))
    sign_in(reviewer)
    for path in (
        "/appels/gestion",
        "/appels/gestion/nouveau",
        f"/appels/gestion/{call.id}",
        f"/appels/gestion/{call.id}/candidatures",
        f"/appels/gestion/{call.id}/export.csv",
        f"/appels/gestion/{call.id}/decisions",
    ):
        assert client.get(path).status_code == 403, path


def test_unknown_ids_are_404(client, staff, sign_in):
    sign_in(staff)
    for path in ("/appels/999999", "/appels/candidatures/999999", "/appels/gestion/999999"):
        assert client.get(path).status_code == 404, path


def test_renamed_executable_is_refused_and_text_kept(client, call, contact, sign_in, db_session):
    sign_in(contact)
    client.post("/langue", data={"locale": "en"})
    response = client.post(
        f"/appels/{call.id}/candidature",
        data={"action": "save", "venue": "Halle", "files": (io.BytesIO(EXE), "dossier.pdf")},
        content_type="multipart/form-data",
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="files-error"' in body
    assert "Only PDF, ODT, DOCX, PNG and JPEG files are accepted." in body
    assert 'value="Halle"' in body
    application = db_session.scalar(select(Application).where(Application.call_id == call.id))
    assert application.files == []
    assert application.form_data["venue"] == ["Halle"]


def test_store_file_detects_type_from_content(call, territory, contact, now):
    application = make_application(call, territory, [contact], status="draft")
    record = services.store_file(application, io.BytesIO(PNG), "scan.pdf", contact, now)
    assert record.content_type == "image/png"
    assert record.stored_name.endswith(".png")


def test_store_file_refuses_file_over_the_limit(call, territory, contact, now):
    application = make_application(call, territory, [contact], status="draft")
    big = io.BytesIO(PDF + b"0" * MAX_FILE_BYTES)
    with pytest.raises(CampaignError):
        services.store_file(application, big, "gros.pdf", contact, now)


def test_store_file_refuses_going_over_the_application_total(call, territory, contact, now):
    application = make_application(call, territory, [contact], status="draft")
    application.files.append(
        ApplicationFile(
            original_name="a.pdf",
            stored_name="a" * 32,
            content_type="application/pdf",
            size_bytes=MAX_APPLICATION_BYTES - 10,
            created_at=now,
        )
    )
    with pytest.raises(CampaignError):
        services.store_file(application, io.BytesIO(PDF), "b.pdf", contact, now)


def test_withdraw_sets_status_and_hides_form(client, call, territory, contact, sign_in, db_session):
    application = make_application(call, territory, [contact])
    sign_in(contact)
    assert client.post(f"/appels/candidatures/{application.id}/retrait").status_code == 302
    db_session.refresh(application)
    assert application.status == "withdrawn"
    assert application.withdrawn_at is not None
    page = client.get(f"/appels/candidatures/{application.id}").get_data(as_text=True)
    assert 'data-status="withdrawn"' in page


def test_submitted_application_redirects_from_form_to_status(
    client, call, territory, contact, sign_in
):
    application = make_application(call, territory, [contact])
    sign_in(contact)
    response = client.get(f"/appels/{call.id}/candidature")
    assert response.headers["Location"] == f"/appels/candidatures/{application.id}"


def test_staff_extension_lets_one_application_submit_late(call, territory, contact, now):
    from datetime import timedelta

    application = make_application(call, territory, [contact], status="draft")
    late = call.closes_at + timedelta(hours=2)
    with pytest.raises(CampaignError):
        services.submit_application(application, contact, late)
    services.extend_deadline(application, call.closes_at + timedelta(days=1))
    services.submit_application(application, contact, late)
    assert application.status == "submitted"


def test_same_territory_cannot_submit_twice(client, call, territory, contact, make_user, sign_in):
    from tests.campaigns.conftest import complete_answers

    make_application(call, territory, [make_user("x@territoire.example")])
    sign_in(contact)
    response = client.post(
        f"/appels/{call.id}/candidature",
        data={"action": "submit", **complete_answers(territory.id)},
    )
    assert response.status_code == 422
    assert 'id="territory_id-error"' in response.get_data(as_text=True)


def test_invited_colleague_works_on_the_same_application(
    client, call, contact, sign_in, db_session
):
    sign_in(contact)
    client.post(f"/appels/{call.id}/candidature", data={"action": "save", "venue": "Halle"})
    response = client.post(
        f"/appels/{call.id}/candidature/equipe", data={"email": "collegue@territoire.example"}
    )
    assert response.status_code == 302
    application = db_session.scalar(select(Application).where(Application.call_id == call.id))
    assert [m.email for m in application.members] == [
        "contact@territoire.example",
        "collegue@territoire.example",
    ]
    assert db_session.scalar(select(Review)) is None
