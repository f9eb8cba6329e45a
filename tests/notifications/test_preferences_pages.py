"""The profile's optional messages, and the flag on an account whose address bounced."""

from coordination.extensions import db
from coordination.notifications import preferences
from coordination.notifications.feedback import suppress


def test_profile_turns_optional_messages_off_and_on(client, sign_in, make_user):
    user = make_user("moi@example.org")
    sign_in(user)
    page = client.get("/profil").get_data(as_text=True)
    assert 'value="group" checked' in page
    answer = client.post(
        "/profil",
        data={
            "name": "Moi",
            "locale": "fr",
            "digest_frequency": "off",
            "optional_messages": ["stop_reminders"],
        },
    )
    assert answer.status_code == 302
    assert preferences.wants(user, "stop_reminders")
    assert not preferences.wants(user, "group")
    assert not preferences.wants(user, "draft_reminders")
    client.post(
        "/profil",
        data={
            "name": "Moi",
            "locale": "fr",
            "digest_frequency": "off",
            "optional_messages": ["group", "draft_reminders"],
        },
    )
    assert preferences.wants(user, "group") and not preferences.wants(user, "stop_reminders")


def test_staff_see_the_flag_and_lift_it(client, sign_in, staff, make_user, now):
    person = make_user("rebond@example.org")
    suppress("rebond@example.org", "bounce", "550 no such user", now)
    sign_in(staff)
    page = client.get(f"/equipe/comptes/{person.id}").get_data(as_text=True)
    assert 'id="mail-suppression"' in page and "550 no such user" in page
    answer = client.post(f"/equipe/comptes/{person.id}/adresse-retablie")
    assert answer.status_code == 302
    db.session.expire_all()
    assert preferences.active_suppression("rebond@example.org") is None
    assert preferences.wants(person, "group")
    page = client.get(f"/equipe/comptes/{person.id}").get_data(as_text=True)
    assert 'id="mail-suppression"' not in page
