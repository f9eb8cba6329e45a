"""Staff give one applicant a personal note with the decision; the decision email shows it."""

from sqlalchemy import select

from coordination.campaigns import services
from coordination.notifications.models import OutboxMessage
from tests.campaigns.conftest import make_application


def test_the_note_typed_with_the_decision_reaches_the_email_escaped(
    client, call, territory, contact, staff, sign_in, db_session, now
):
    application = make_application(call, territory, [contact])
    sign_in(staff)
    response = client.post(
        f"/appels/candidatures/{application.id}/decision",
        data={"decision": "waitlisted", "note": "  Dossier solide <b>très</b> proche.  "},
    )
    assert response.status_code == 302
    db_session.refresh(application)
    assert (application.decision, application.decision_note) == (
        "waitlisted",
        "Dossier solide <b>très</b> proche.",
    )
    page = client.get(f"/appels/candidatures/{application.id}").get_data(as_text=True)
    assert "Dossier solide &lt;b&gt;très&lt;/b&gt; proche." in page  # kept in the form
    services.release_decisions(call, now)
    message = db_session.scalar(select(OutboxMessage))
    assert "Dossier solide <b>très</b> proche." in message.text_body
    assert "Dossier solide &lt;b&gt;très&lt;/b&gt; proche." in message.html_body


def test_a_note_too_long_is_refused_with_a_message(
    client, call, territory, contact, staff, sign_in
):
    application = make_application(call, territory, [contact])
    sign_in(staff)
    response = client.post(
        f"/appels/candidatures/{application.id}/decision",
        data={"decision": "accepted", "note": "x" * 2001},
        follow_redirects=True,
    )
    assert "trop long" in response.get_data(as_text=True)
    assert application.decision is None
