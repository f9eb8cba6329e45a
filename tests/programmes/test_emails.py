"""The organisers' emails, in French and English, through the outbox."""

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
from coordination.programmes import services


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_review_emails_in_the_organisers_language(locale, make_partner, make_event, staff, now):
    user, organisation = make_partner()
    user.locale = locale
    returned = make_event([organisation], status="submitted", title="Table ronde")
    services.return_event(returned, "Ajoutez l'adresse.", staff, now)
    published = make_event([organisation], status="submitted", title="Salon")
    services.publish_event(published, staff, now, comment="Bravo")
    services.withdraw_event(published, staff, now, reason="Salle indisponible")
    messages = {
        m.template: m
        for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == user.id))
    }
    assert set(messages) == {
        "programmes/returned",
        "programmes/published",
        "programmes/withdrawn",
    }
    words = {"fr": ("renvoyé", "publié", "retiré"), "en": ("sent back", "published", "withdrawn")}
    for template, word in zip(
        ("programmes/returned", "programmes/published", "programmes/withdrawn"),
        words[locale],
        strict=True,
    ):
        assert word in messages[template].subject, messages[template].subject
        assert messages[template].reply_to == staff.email
    assert "Ajoutez l'adresse." in messages["programmes/returned"].text_body
    assert f"/partenaire/evenements/{returned.id}" in messages["programmes/returned"].text_body
    assert f"/etapes/{published.stop_id}" in messages["programmes/published"].text_body
    assert "Salle indisponible" in messages["programmes/withdrawn"].html_body


def test_my_tasks_links_to_my_events(client, sign_in, week, make_partner, make_event):
    user, organisation = make_partner()
    make_event([organisation], status="returned")
    sign_in(user)
    html = client.get("/mes-taches").get_data(as_text=True)
    assert 'id="tasks-events"' in html and "/partenaire/evenements" in html
    assert "1 événement renvoyé à modifier" in html
    assert "/partenaire/evenements" in client.get("/partenaire/").get_data(as_text=True)
