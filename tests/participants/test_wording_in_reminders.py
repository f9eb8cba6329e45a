"""The participants' reminder job sends staff's wording, in each participant's language."""

from datetime import timedelta

from coordination.notifications import overrides
from coordination.participants import services
from tests.participants.conftest import outbox, person, workshops_of


def test_the_reminder_job_uses_the_editions_wording_in_the_recipients_language(
    stop, register, staff, now
):
    register(stop, 1)  # French
    services.register(stop, person(2), [w.id for w in workshops_of(stop)], "en", now)
    overrides.save_template(
        "participants/reminder",
        stop.edition_id,
        "en",
        "In {days_left} days: {stop}",
        "{greeting}\n\nWe expect you {when} at {where}.\n\n{workshops}\n\nCancel: {url}",
        staff,
        now,
    )
    services.send_reminders(stop.starts_at - timedelta(days=1, hours=23))
    by_locale = {m.locale: m for m in outbox("participants/reminder")}
    english, french = by_locale["en"], by_locale["fr"]
    assert english.subject == f"In 2 days: {stop.title}"
    assert english.text_body.startswith("Hello Prénom2 Nom2,\n\nWe expect you ")
    assert f"- {workshops_of(stop)[0].title}: " in english.text_body
    assert "/inscriptions/" in english.html_body and "<a href=" in english.html_body
    # The other language keeps the default file template.
    assert french.subject.startswith("Rappel")
    assert "We expect you" not in french.text_body
