"""Partner organisations: SIRET, duplicates, merges, self-service and its permissions."""

import pytest
from sqlalchemy import func, select

from coordination.clubs.models import Membership, PartnerContact, PartnerOrganisation
from coordination.clubs.organisations import (
    add_contact,
    clean_siret,
    find_matching_organisation,
    merge_organisations,
    organisation_key,
)
from coordination.clubs.services import confirm_registration, request_membership
from coordination.core.clock import utcnow
from coordination.extensions import db
from tests.clubs.conftest import (
    OTHER_VALID_SIRET,
    VALID_SIRET,
    link_secret,
    outbox,
    registration_data,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("80000000200017", VALID_SIRET), ("800 000 002 00017", VALID_SIRET), ("", None)],
)
def test_clean_siret_accepts_valid_numbers(value, expected):
    assert clean_siret(value) == expected


@pytest.mark.parametrize("value", ["80000000200018", "8000000020001", "ABCDEFGHIJKLMN"])
def test_clean_siret_refuses_bad_check_digit_or_length(value):
    with pytest.raises(ValueError):
        clean_siret(value)


def test_organisation_key_ignores_accents_case_and_legal_forms():
    assert organisation_key("Société Méca-Précision SAS") == organisation_key(
        "societe meca precision"
    )


def test_duplicate_found_by_siret_before_name(make_organisation):
    by_siret = make_organisation("CCI Hauts-de-France", siret=VALID_SIRET)
    make_organisation("Chambre de commerce", siret=None)

    assert find_matching_organisation("Un autre nom", VALID_SIRET) == by_siret


def test_duplicate_found_by_folded_name_unless_siret_differs(make_organisation):
    existing = make_organisation("Université de Picardie", siret=OTHER_VALID_SIRET)

    assert find_matching_organisation("UNIVERSITE DE PICARDIE", None) == existing
    assert find_matching_organisation("Université de Picardie", VALID_SIRET) is None


def test_registration_of_a_known_organisation_reuses_it(client, make_club, make_organisation):
    club = make_club()
    existing = make_organisation("Université de Picardie Jules Verne")
    client.post("/clubs/inscription", data=registration_data([club.id], siret=VALID_SIRET))

    confirm_registration(link_secret(outbox("clubs/confirm_registration")[0]), utcnow())

    assert db.session.scalar(select(func.count()).select_from(PartnerOrganisation)) == 1
    assert existing.siret == VALID_SIRET
    assert [m.organisation_id for m in db.session.scalars(select(Membership))] == [existing.id]


def test_merge_moves_contacts_and_memberships(make_club, make_organisation, make_user, now):
    club, other_club = make_club(), make_club("Autre", slug="autre")
    keep = make_organisation("CCI Hauts-de-France")
    duplicate = make_organisation(
        "CCI Hauts de France", siret=VALID_SIRET, website="https://cci.fr"
    )
    alice, bob = make_user("alice@example.org"), make_user("bob@example.org")
    add_contact(keep, alice, now, is_approved=True)
    add_contact(duplicate, bob, now, is_approved=True)
    request_membership(club, keep, alice, now)
    approved = request_membership(club, duplicate, bob, now)
    approved.status = "approved"
    request_membership(other_club, duplicate, bob, now)

    merge_organisations(keep, duplicate)

    assert db.session.get(PartnerOrganisation, duplicate.id) is None
    assert keep.siret == VALID_SIRET
    assert keep.website == "https://cci.fr"
    assert sorted(c.user.email for c in keep.contacts) == ["alice@example.org", "bob@example.org"]
    statuses = {m.club_id: m.status for m in db.session.scalars(select(Membership))}
    assert statuses == {club.id: "approved", other_club.id: "pending"}


def test_staff_merge_page(client, staff, sign_in, make_organisation):
    keep = make_organisation("CCI Hauts-de-France")
    duplicate = make_organisation("CCI Hauts de France")
    duplicate_id = duplicate.id
    sign_in(staff)

    page = client.get("/equipe/partenaires/").get_data(as_text=True)
    assert page.count("badge-pending") == 2
    response = client.post(
        f"/equipe/partenaires/{keep.id}/fusionner", data={"duplicate_id": duplicate.id}
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(PartnerOrganisation, duplicate_id) is None


def _approved_contact(organisation, make_user, email="contact@example.org"):
    user = make_user(email, roles=("partner_contact",))
    add_contact(organisation, user, utcnow(), is_approved=True)
    return user


def test_partner_edits_their_organisation(client, make_user, sign_in, make_organisation):
    organisation = make_organisation()
    sign_in(_approved_contact(organisation, make_user))

    response = client.post(
        f"/partenaire/organisations/{organisation.id}",
        data={
            "organisation_name": "CCI Hauts-de-France (Amiens)",
            "kind": "chamber_of_commerce",
            "siret": VALID_SIRET,
            "website": "https://www.hautsdefrance.cci.fr",
            "address": "Amiens",
            "region_code": "32",
            "interests": ["international"],
        },
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert organisation.name == "CCI Hauts-de-France (Amiens)"
    assert organisation.search_name == organisation_key("CCI Hauts-de-France (Amiens)")
    assert (organisation.siret, organisation.interests) == (VALID_SIRET, ["international"])


def test_partner_cannot_take_another_organisations_siret(
    client, make_user, sign_in, make_organisation
):
    make_organisation("Autre", siret=VALID_SIRET)
    organisation = make_organisation()
    sign_in(_approved_contact(organisation, make_user))

    response = client.post(
        f"/partenaire/organisations/{organisation.id}",
        data={"organisation_name": "CCI", "kind": "company", "siret": VALID_SIRET},
    )

    assert response.status_code == 200
    assert 'id="siret-error"' in response.get_data(as_text=True)


def test_partner_cannot_edit_another_organisation(client, make_user, sign_in, make_organisation):
    mine, theirs = make_organisation(), make_organisation("Autre organisation")
    sign_in(_approved_contact(mine, make_user))

    assert client.get(f"/partenaire/organisations/{theirs.id}").status_code == 403
    assert (
        client.post(
            f"/partenaire/organisations/{theirs.id}/contacts",
            data={"name": "Intrus", "email": "intrus@example.org"},
        ).status_code
        == 403
    )
    assert client.get("/partenaire/organisations/999999").status_code == 404


def test_unapproved_contact_cannot_edit_yet(client, make_user, sign_in, make_organisation):
    organisation = make_organisation()
    user = make_user("new@example.org", roles=("partner_contact",))
    add_contact(organisation, user, utcnow(), is_approved=False)
    sign_in(user)

    assert client.get(f"/partenaire/organisations/{organisation.id}").status_code == 403


def test_partner_adds_and_removes_a_contact(client, make_user, sign_in, make_organisation):
    organisation = make_organisation()
    sign_in(_approved_contact(organisation, make_user))

    client.post(
        f"/partenaire/organisations/{organisation.id}/contacts",
        data={"name": "Léa Colleague", "email": "Lea@Example.org"},
    )

    db.session.expire_all()
    added = db.session.scalar(
        select(PartnerContact)
        .join(PartnerContact.user)
        .where(
            PartnerContact.organisation_id == organisation.id,
            PartnerContact.user.has(email="lea@example.org"),
        )
    )
    assert added.is_approved is True
    assert added.user.roles == {"partner_contact"}
    [message] = outbox("clubs/contact_added")
    assert message.to_email == "lea@example.org"

    client.post(f"/partenaire/organisations/{organisation.id}/contacts/{added.id}/retirer")
    db.session.expire_all()
    assert len(organisation.contacts) == 1


def test_last_contact_cannot_be_removed(client, make_user, sign_in, make_organisation):
    organisation = make_organisation()
    sign_in(_approved_contact(organisation, make_user))
    [contact] = organisation.contacts

    client.post(f"/partenaire/organisations/{organisation.id}/contacts/{contact.id}/retirer")

    db.session.expire_all()
    assert len(organisation.contacts) == 1


def test_partner_leaves_a_club(client, make_user, sign_in, make_organisation, make_club):
    organisation = make_organisation()
    user = _approved_contact(organisation, make_user)
    membership = request_membership(make_club(), organisation, user, utcnow())
    membership.status = "approved"
    sign_in(user)

    assert f'data-membership-id="{membership.id}"' in client.get("/partenaire/").get_data(
        as_text=True
    )
    client.post(f"/partenaire/adhesions/{membership.id}/quitter")

    db.session.expire_all()
    assert membership.status == "left"
    assert membership.left_at is not None


def test_partner_cannot_make_another_organisation_leave(
    client, make_user, sign_in, make_organisation, make_club
):
    mine, theirs = make_organisation(), make_organisation("Autre")
    user = _approved_contact(mine, make_user)
    other = _approved_contact(theirs, make_user, "other@example.org")
    membership = request_membership(make_club(), theirs, other, utcnow())
    sign_in(user)

    assert client.post(f"/partenaire/adhesions/{membership.id}/quitter").status_code == 403
