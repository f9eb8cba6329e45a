"""Personal data: what a person downloads, their erasure request, staff carrying it out."""

import json

import pytest
from sqlalchemy import func, select

from coordination.auth import accounts, privacy
from coordination.auth.models import AccountEvent, LoginToken, User
from coordination.calendar.models import FeedToken
from coordination.calendar.services import PERSONAL, active_feed_token
from coordination.clubs.models import PartnerContact, PartnerOrganisation
from coordination.core.text import search_key
from coordination.notifications.models import OutboxMessage
from coordination.notifications.services import queue_email_to
from coordination.participants import services as participants
from coordination.participants.models import NeedResponse, Registration

# The participants' stop factory, shared rather than copied.
from tests.participants.conftest import make_stop, person  # noqa: F401


@pytest.fixture
def partner(make_user, db_session, now):
    user = make_user("paula@example.org", roles=("partner_contact",), name="Paula Partner")
    organisation = PartnerOrganisation(
        name="CCI du Loiret", search_name=search_key("CCI du Loiret"), kind="cci"
    )
    db_session.add(organisation)
    db_session.flush()
    db_session.add(PartnerContact(organisation_id=organisation.id, user_id=user.id, created_at=now))
    queue_email_to(
        user,
        key="test:hello",
        template="auth/login_link",
        context={"user": user, "url": "http://localhost/x", "minutes": 30},
        now=now,
    )
    active_feed_token(user, PERSONAL, now)
    db_session.flush()
    return user


@pytest.fixture
def registered(partner, make_stop, now):  # noqa: F811
    stop = make_stop()
    registration = participants.register(
        stop, person(1, email=partner.email, first_name="Paula", last_name="Partner"), [], "fr", now
    )
    return registration


def test_my_data_page_and_json_hold_what_the_platform_knows(client, partner, registered, sign_in):
    sign_in(partner)
    page = client.get("/profil/mes-donnees").get_data(as_text=True)
    assert "paula@example.org" in page and "CCI du Loiret" in page and "Pithiviers" in page
    response = client.get("/profil/mes-donnees.json")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "paula@example.org"
    assert data["roles"] == ["partner_contact"]
    assert data["organisations"] == [{"name": "CCI du Loiret", "approved": False}]
    assert [r["first_name"] for r in data["registrations"]] == ["Paula"]
    assert "Votre lien de connexion" in [m["subject"] for m in data["messages"]]


def test_my_data_pages_need_a_sign_in(client):
    assert client.get("/profil/mes-donnees").status_code == 302
    assert client.get("/profil/mes-donnees.json").status_code == 302
    assert client.post("/profil/mes-donnees/effacement").status_code == 302


def test_erasure_is_asked_then_carried_out_by_staff(
    client, partner, registered, staff, sign_in, db_session, edition
):
    from tests.participants.test_views import _answered

    _answered(registered.stop, edition, 5, 100)
    questionnaire = participants.get_or_create_questionnaire(edition)
    participants.set_checked_in(registered, True, registered.stop.starts_at)
    participants.submit_answers(
        registered, questionnaire, {str(questionnaire.questions[0].id): 3}, registered.stop.ends_at
    )
    sign_in(partner)
    assert client.post("/profil/mes-donnees/effacement").status_code == 302
    client.post("/deconnexion")
    sign_in(staff)
    listing = client.get("/equipe/comptes/effacements").get_data(as_text=True)
    assert "paula@example.org" in listing
    assert client.post(f"/equipe/comptes/{partner.id}/effacer").status_code == 302
    db_session.expire_all()

    user = db_session.get(User, partner.id)
    assert (user.email, user.name, user.roles, user.is_active, user.password_hash) == (
        f"erased-{partner.id}@erased.invalid",
        "",
        set(),
        False,
        None,
    )
    for model in (LoginToken, FeedToken, PartnerContact):
        assert (
            db_session.scalar(
                select(func.count()).select_from(model).where(model.user_id == user.id)
            )
            == 0
        )
    assert (
        db_session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.user_id == user.id)
        )
        == 0
    )
    registration = db_session.get(Registration, registered.id)
    assert (registration.first_name, registration.email) == (
        "",
        f"anonymised-{registered.id}@anonymised.invalid",
    )
    # Their place at the coming stop is given back, and no email goes to them.
    assert registration.cancelled_at is not None
    # The answers and the participation count stay, without the person.
    assert db_session.scalar(select(func.count()).select_from(NeedResponse)) == 6
    assert db_session.scalar(select(func.count()).select_from(Registration)) == 6
    actions = db_session.execute(
        select(AccountEvent.action, AccountEvent.target_email)
        .where(AccountEvent.target_id == user.id)
        .order_by(AccountEvent.id)
    ).all()
    assert actions == [("erasure_requested", ""), ("deactivated", ""), ("erased", "")]
    assert "paula@example.org" not in client.get("/equipe/comptes/journal").get_data(as_text=True)
    assert "compte effacé" in client.get("/equipe/comptes/journal").get_data(as_text=True)
    # An erased address can come back as a new account, never into the old one.
    assert client.get("/equipe/comptes/effacements").get_data(as_text=True).count("paula") == 0
    with pytest.raises(accounts.AccountError):
        accounts.reactivate(user, registration.registered_at, actor=staff)
    with pytest.raises(accounts.AccountError):
        accounts.change_roles(user, ["staff"], registration.registered_at, actor=staff)


def test_staff_cannot_erase_themselves(staff, make_user, now):
    make_user("other@example.org", roles=("staff",))
    with pytest.raises(accounts.AccountError):
        privacy.erase_account(staff, now, actor=staff)


def test_privacy_page_is_public_in_both_languages(client):
    french = client.get("/confidentialite").get_data(as_text=True)
    assert "Données personnelles et confidentialité" in french
    assert "supprimés 24 mois après la fin de l’édition" in french
    assert 'href="/confidentialite"' in client.get("/").get_data(as_text=True)
    client.post("/langue", data={"locale": "en"})
    english = client.get("/confidentialite").get_data(as_text=True)
    assert "are deleted 24 months after the end of the edition" in english


def test_erasure_removes_the_person_from_stops_host_contacts(
    client,
    partner,
    make_stop,  # noqa: F811
    staff,
    sign_in,
    db_session,
    now,
):
    from coordination.stops.models import StopChange
    from coordination.stops.services import save_stop

    other = {"name": "Odile Autre", "function": "DGS", "email": "odile@example.org", "phone": ""}
    paula = {
        "name": "Paula Partner",
        "function": "Chargée de mission",
        "email": "Paula@Example.org ",
        "phone": "06 12 34 56 78",
    }
    named = make_stop(host_contacts=[other])
    save_stop(named, staff, now, fields={"host_contacts": [paula, other]})
    untouched = make_stop(host_contacts=[other])
    db_session.flush()

    sign_in(partner)
    data = json.loads(client.get("/profil/mes-donnees.json").get_data(as_text=True))
    assert [(c["stop"], c["phone"]) for c in data["host_contacts"]] == [
        (named.title, "06 12 34 56 78")
    ]
    assert "06 12 34 56 78" in client.get("/profil/mes-donnees").get_data(as_text=True)
    client.post("/deconnexion")

    privacy.erase_account(partner, now, actor=staff)
    db_session.commit()
    db_session.expire_all()

    assert db_session.get(type(named), named.id).host_contacts == [other]
    assert db_session.get(type(untouched), untouched.id).host_contacts == [other]
    history = db_session.scalars(select(StopChange).where(StopChange.stop_id == named.id)).all()
    assert history, "the edit was recorded"
    stored = json.dumps([c.changes for c in history]).lower()
    assert "paula" not in stored and "06 12 34 56 78" not in stored
    assert "odile@example.org" in stored
