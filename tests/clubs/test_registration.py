"""Public registration: the form, the confirmation link, what reaches staff."""

from datetime import timedelta

from sqlalchemy import func, select

from coordination.auth.models import Role, User
from coordination.clubs.models import (
    Membership,
    MembershipStatus,
    PartnerContact,
    PartnerOrganisation,
    Registration,
)
from coordination.clubs.services import confirm_registration
from coordination.core.clock import utcnow
from tests.clubs.conftest import VALID_SIRET, link_secret, outbox, registration_data


def _count(model) -> int:
    from coordination.extensions import db

    return db.session.scalar(select(func.count()).select_from(model))


def test_registration_form_lists_open_clubs_only(client, make_club):
    open_club = make_club("Club ouvert")
    closed = make_club("Club fermé", slug="club-ferme", is_open=False)

    page = client.get("/clubs/inscription").get_data(as_text=True)

    assert f'name="club_ids" value="{open_club.id}"' in page
    assert f'value="{closed.id}"' not in page
    assert 'id="consent-wording"' in page


def test_registration_search_filters_clubs_and_keeps_what_was_typed(
    client, make_club, make_territory
):
    pithiverais = make_club(
        "Club du Pithiverais",
        territories=[make_territory("Pithiverais", ("200066280",), "24")],
    )
    somme = make_club("Club Somme-Aisne")

    response = client.post(
        "/clubs/inscription",
        data=registration_data([], action="search", club_query="Pithiviers", consent=""),
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'value="{pithiverais.id}"' in page
    assert f'value="{somme.id}"' not in page
    assert 'value="Université de Picardie Jules Verne"' in page
    assert 'class="error"' not in page
    assert _count(Registration) == 0


def test_registration_search_by_region(client, make_club, make_territory):
    centre = make_club(
        "Club du Pithiverais",
        territories=[make_territory("Pithiverais", ("200066280",), "24")],
    )
    somme = make_club("Club Somme-Aisne")

    page = client.get("/clubs/?region=24").get_data(as_text=True)

    assert f'data-club-id="{centre.id}"' in page
    assert f'data-club-id="{somme.id}"' not in page


def test_registration_sends_a_confirmation_link_and_creates_nothing_else(
    client, make_club, db_session
):
    club = make_club()

    response = client.post("/clubs/inscription", data=registration_data([club.id]))

    assert response.status_code == 302
    assert response.headers["Location"] == "/clubs/inscription/envoyee"
    [message] = outbox("clubs/confirm_registration")
    assert message.to_email == "claire.dubois@example.org"
    assert message.text_body.count("http://localhost/clubs/inscription/confirmer/") == 1
    registration = db_session.scalar(select(Registration))
    assert registration.token_hash != link_secret(message)
    assert registration.confirmed_at is None
    assert _count(PartnerOrganisation) == 0
    assert _count(Membership) == 0
    assert db_session.scalar(select(User).where(User.email == "claire.dubois@example.org")) is None


def test_registration_form_shows_every_error_and_keeps_input(client, make_club):
    make_club()

    response = client.post(
        "/clubs/inscription",
        data=registration_data([], siret="1234", consent="", email="not-an-email"),
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for field in ("siret", "email", "club_ids", "consent"):
        assert f'id="{field}-error"' in page, field
    assert 'value="1234"' in page
    assert 'value="Claire Dubois"' in page
    assert _count(Registration) == 0


def test_confirmation_get_does_not_spend_the_link(client, make_club, db_session):
    club = make_club()
    client.post("/clubs/inscription", data=registration_data([club.id]))
    secret = link_secret(outbox("clubs/confirm_registration")[0])

    page = client.get(f"/clubs/inscription/confirmer/{secret}").get_data(as_text=True)

    assert 'data-testid="confirm-registration"' in page
    assert db_session.scalar(select(Registration)).confirmed_at is None


def test_confirmation_creates_account_organisation_and_pending_request(
    client, make_club, db_session
):
    club = make_club()
    client.post("/clubs/inscription", data=registration_data([club.id], siret="800 000 002 00017"))
    secret = link_secret(outbox("clubs/confirm_registration")[0])

    response = client.post(f"/clubs/inscription/confirmer/{secret}")

    assert response.status_code == 200
    user = db_session.scalar(select(User).where(User.email == "claire.dubois@example.org"))
    assert user.roles == {Role.PARTNER_CONTACT}
    assert user.name == "Claire Dubois"
    organisation = db_session.scalar(select(PartnerOrganisation))
    assert organisation.siret == VALID_SIRET
    assert organisation.kind == "university"
    assert organisation.interests == ["innovation", "training"]
    membership = db_session.scalar(select(Membership))
    assert (membership.club_id, membership.organisation_id) == (club.id, organisation.id)
    assert membership.status == MembershipStatus.PENDING
    assert membership.requested_by_id == user.id
    assert membership.consented_at is not None
    contact = db_session.scalar(select(PartnerContact))
    assert (contact.user_id, contact.is_approved) == (user.id, False)


def test_confirmation_link_works_once(client, make_club):
    club = make_club()
    client.post("/clubs/inscription", data=registration_data([club.id]))
    secret = link_secret(outbox("clubs/confirm_registration")[0])
    client.post(f"/clubs/inscription/confirmer/{secret}")

    again = client.post(f"/clubs/inscription/confirmer/{secret}")

    assert again.status_code == 410
    assert _count(Membership) == 1


def test_confirmation_link_expires(client, make_club, db_session):
    club = make_club()
    client.post("/clubs/inscription", data=registration_data([club.id]))
    secret = link_secret(outbox("clubs/confirm_registration")[0])
    db_session.scalar(select(Registration)).expires_at = utcnow() - timedelta(seconds=1)
    db_session.commit()

    assert client.post(f"/clubs/inscription/confirmer/{secret}").status_code == 410
    assert _count(Membership) == 0


def test_unknown_confirmation_link_is_refused(client):
    assert client.post("/clubs/inscription/confirmer/nope").status_code == 410
    assert 'data-testid="confirm-registration"' not in client.get(
        "/clubs/inscription/confirmer/nope"
    ).get_data(as_text=True)


def test_confirmation_skips_clubs_closed_meanwhile(client, make_club, now, db_session):
    club = make_club()
    client.post("/clubs/inscription", data=registration_data([club.id]))
    secret = link_secret(outbox("clubs/confirm_registration")[0])
    club.is_open = False
    db_session.flush()

    assert confirm_registration(secret, utcnow()) == []
    assert _count(PartnerOrganisation) == 1


def test_a_very_long_search_in_the_registration_form_is_cut_not_a_500(client, make_club):
    club = make_club("Club Somme-Aisne")
    typed = "Somme" + "x" * 10_000

    response = client.post(
        "/clubs/inscription", data=registration_data([], club_query=typed, action="search")
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'value="{typed[:100]}"' in page
    assert f'value="{club.id}"' not in page  # nothing matches the cut search
