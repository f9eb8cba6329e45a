"""The demo data: an open call with a draft, a submitted application with reviews."""

from sqlalchemy import select

from coordination.auth.services import find_user_by_email
from coordination.campaigns.models import Application
from coordination.core.clock import utcnow
from coordination.demo import load_demo_data


def test_demo_has_a_draft_and_a_reviewed_submission_and_pages_render(client, sign_in, db_session):
    assert load_demo_data(utcnow())
    applications = db_session.scalars(select(Application).order_by(Application.id)).all()
    assert [a.status for a in applications] == ["draft", "submitted"]
    reviewer = find_user_by_email("relecteur@demo.innovent-e.fr")
    assert [r.reviewer_id for r in applications[1].reviews][0] == reviewer.id
    call = applications[0].call
    sign_in(find_user_by_email("equipe@demo.innovent-e.fr"), "demo-password-2026")
    for path in (
        "/appels",
        f"/appels/{call.id}",
        "/appels/gestion",
        f"/appels/gestion/{call.id}",
        f"/appels/gestion/{call.id}/candidatures",
        f"/appels/gestion/{call.id}/decisions",
        f"/appels/candidatures/{applications[1].id}",
        f"/appels/candidatures/{applications[0].id}",
    ):
        assert client.get(path).status_code == 200, path
    client.post("/deconnexion")
    sign_in(find_user_by_email("territoire@demo.innovent-e.fr"), "demo-password-2026")
    body = client.get(f"/appels/{call.id}/candidature").get_data(as_text=True)
    assert "Albert-Méaulte" in body
    assert client.get(f"/appels/candidatures/{applications[1].id}").status_code == 404
