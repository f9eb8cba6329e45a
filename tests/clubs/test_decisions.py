"""Staff and leads decide requests: emails, permissions, replayed forms."""

from sqlalchemy import select

from coordination.clubs.models import Membership, MembershipStatus, PartnerContact
from coordination.clubs.services import confirm_registration
from coordination.core.clock import utcnow
from tests.clubs.conftest import link_secret, outbox, registration_data


def _registered(client, club_ids, email="claire.dubois@example.org"):
    client.post("/clubs/inscription", data=registration_data(club_ids, email=email))
    message = [m for m in outbox("clubs/confirm_registration") if m.to_email == email][-1]
    return confirm_registration(link_secret(message), utcnow())


def test_staff_approval_sends_the_welcome_email(client, make_club, staff, sign_in, db_session):
    club = make_club()
    [membership] = _registered(client, [club.id])
    db_session.commit()
    sign_in(staff)

    response = client.post(
        f"/clubs/demandes/{membership.id}", data={"version": 1, "decision": "approve"}
    )

    assert response.status_code == 303
    db_session.expire_all()
    assert membership.status == MembershipStatus.APPROVED
    assert membership.version == 2
    assert membership.decided_by_id == staff.id
    contact = db_session.scalar(select(PartnerContact))
    assert contact.is_approved is True
    [welcome] = outbox("clubs/membership_approved")
    assert welcome.to_email == "claire.dubois@example.org"
    assert welcome.reply_to == staff.email
    assert f"http://localhost/clubs/{club.slug}" in welcome.text_body
    assert "http://localhost/partenaire/" in welcome.text_body


def test_rejection_needs_a_reason_and_emails_it(client, make_club, staff, sign_in, db_session):
    club = make_club()
    [membership] = _registered(client, [club.id])
    sign_in(staff)

    client.post(f"/clubs/demandes/{membership.id}", data={"version": 1, "decision": "reject"})
    db_session.expire_all()
    assert membership.status == MembershipStatus.PENDING

    client.post(
        f"/clubs/demandes/{membership.id}",
        data={"version": 1, "decision": "reject", "reason": "Hors territoire."},
    )

    db_session.expire_all()
    assert membership.status == MembershipStatus.REJECTED
    assert membership.rejection_reason == "Hors territoire."
    [message] = outbox("clubs/membership_rejected")
    assert "Hors territoire." in message.text_body
    assert outbox("clubs/membership_approved") == []


def test_the_partner_sees_the_reason_with_french_spacing(
    client, make_club, staff, sign_in, db_session
):
    from coordination.auth.services import find_user_by_email, set_password

    club = make_club()
    [membership] = _registered(client, [club.id])
    sign_in(staff)
    client.post(
        f"/clubs/demandes/{membership.id}",
        data={"version": 1, "decision": "reject", "reason": "Hors territoire."},
    )
    client.post("/deconnexion")
    partner = find_user_by_email("claire.dubois@example.org")
    set_password(partner, "correct horse battery")
    sign_in(partner)
    page = client.get("/partenaire/").get_data(as_text=True)
    assert "Refusée\u202f: Hors territoire." in page
    assert "Refusée: " not in page


def test_replayed_approval_of_a_rejected_request_does_nothing(
    client, make_club, staff, sign_in, db_session
):
    club = make_club()
    [membership] = _registered(client, [club.id])
    sign_in(staff)
    client.post(
        f"/clubs/demandes/{membership.id}",
        data={"version": 1, "decision": "reject", "reason": "Non."},
    )

    # The approve button of the page shown before the rejection, sent again.
    replay = client.post(
        f"/clubs/demandes/{membership.id}", data={"version": 1, "decision": "approve"}
    )

    assert replay.status_code == 303
    db_session.expire_all()
    assert membership.status == MembershipStatus.REJECTED
    assert outbox("clubs/membership_approved") == []


def test_old_form_cannot_act_on_a_request_made_again(client, make_club, staff, sign_in, db_session):
    club = make_club()
    [membership] = _registered(client, [club.id])
    sign_in(staff)
    client.post(
        f"/clubs/demandes/{membership.id}",
        data={"version": 1, "decision": "reject", "reason": "Non."},
    )
    client.post("/deconnexion")
    db_session.expire_all()
    [again] = _registered(client, [club.id])
    assert (again.id, again.status, again.version) == (membership.id, "pending", 3)
    sign_in(staff)

    client.post(f"/clubs/demandes/{membership.id}", data={"version": 1, "decision": "approve"})

    db_session.expire_all()
    assert membership.status == MembershipStatus.PENDING


def test_lead_sees_and_decides_only_their_clubs(client, make_club, make_user, sign_in, db_session):
    lead = make_user("lead@example.org", roles=("territory_contact",))
    mine = make_club("Club du lead", leads=[lead])
    other = make_club("Autre club", slug="autre-club")
    [on_mine, on_other] = sorted(
        _registered(client, [mine.id, other.id]), key=lambda m: m.club_id != mine.id
    )
    sign_in(lead)

    page = client.get("/clubs/demandes").get_data(as_text=True)
    assert f'data-membership-id="{on_mine.id}"' in page
    assert f'data-membership-id="{on_other.id}"' not in page

    refused = client.post(
        f"/clubs/demandes/{on_other.id}", data={"version": 1, "decision": "approve"}
    )
    allowed = client.post(
        f"/clubs/demandes/{on_mine.id}", data={"version": 1, "decision": "approve"}
    )

    assert refused.status_code == 403
    assert allowed.status_code == 303
    db_session.expire_all()
    assert (on_mine.status, on_other.status) == ("approved", "pending")


def test_requests_page_refuses_partners_and_needs_sign_in(client, make_user, sign_in):
    assert client.get("/clubs/demandes").status_code == 302
    sign_in(make_user("partner@example.org", roles=("partner_contact",)))
    assert client.get("/clubs/demandes").status_code == 403


def test_lead_cannot_manage_meetings_of_another_club(client, make_club, make_user, sign_in):
    lead = make_user("lead@example.org")
    make_club("Club du lead", leads=[lead])
    other = make_club("Autre club", slug="autre-club")
    sign_in(lead)

    assert client.get(f"/clubs/{other.slug}/reunions/nouvelle").status_code == 403
    assert client.get(f"/clubs/{other.slug}/membres.csv").status_code == 403


def test_unknown_request_is_a_404(client, staff, sign_in):
    sign_in(staff)
    assert client.post("/clubs/demandes/999999", data={"version": 1}).status_code == 404


def test_requests_list_query_count_does_not_grow(
    client, make_club, staff, sign_in, query_counter, db_session
):
    club = make_club()
    _registered(client, [club.id], email="a@example.org")
    sign_in(staff)
    client.get("/clubs/demandes")
    with query_counter() as with_one:
        client.get("/clubs/demandes")
    _registered(client, [club.id], email="b@example.org")
    client.post(
        "/clubs/inscription",
        data=registration_data([club.id], email="c@example.org", organisation_name="Autre"),
    )
    confirm_registration(link_secret(outbox("clubs/confirm_registration")[-1]), utcnow())
    db_session.commit()

    with query_counter() as with_three:
        page = client.get("/clubs/demandes").get_data(as_text=True)

    assert db_session.scalar(select(Membership).where(Membership.status == "pending")) is not None
    assert page.count('data-membership-id="') == 2
    assert len(with_three) == len(with_one)


def test_an_out_of_range_version_is_a_form_error_not_a_500(
    client, make_club, staff, sign_in, db_session
):
    club = make_club()
    [membership] = _registered(client, [club.id])
    sign_in(staff)

    response = client.post(
        f"/clubs/demandes/{membership.id}", data={"version": str(2**31), "decision": "approve"}
    )

    assert response.status_code == 302
    db_session.expire_all()
    assert (membership.status, membership.version) == (MembershipStatus.PENDING, 1)


def test_bulk_decision_approves_or_rejects_many_by_the_same_rules(
    client, make_club, make_user, sign_in, db_session
):
    lead = make_user("lead@example.org", roles=("territory_contact",))
    mine = make_club("Club du lead", leads=[lead])
    second = make_club("Club deux", slug="club-deux", leads=[lead])
    other = make_club("Autre club", slug="autre-club")
    memberships = _registered(client, [mine.id, second.id, other.id])
    by_club = {m.club_id: m for m in memberships}
    sign_in(lead)
    page = client.get("/clubs/demandes").get_data(as_text=True)
    assert page.count('form="bulk" class="select-row"') == 2

    ids = [str(m.id) for m in memberships]
    versions = {f"version-{m.id}": "1" for m in memberships}
    # A rejection needs its reason: nothing changes without one.
    client.post("/clubs/demandes/selection", data={"decision": "reject", "ids": ids, **versions})
    db_session.expire_all()
    assert {m.status for m in memberships} == {"pending"}

    response = client.post(
        "/clubs/demandes/selection",
        data={
            "decision": "approve",
            "ids": [*ids, "nope"],
            **versions,
            f"version-{by_club[second.id].id}": "7",  # an old page: left alone
        },
    )
    assert response.status_code == 303
    db_session.expire_all()
    assert (by_club[mine.id].status, by_club[second.id].status, by_club[other.id].status) == (
        "approved",
        "pending",
        "pending",
    )
    client.post(
        "/clubs/demandes/selection",
        data={
            "decision": "reject",
            "reason": "Hors périmètre",
            "ids": [str(by_club[second.id].id)],
            f"version-{by_club[second.id].id}": "1",
        },
    )
    db_session.expire_all()
    assert by_club[second.id].status == "rejected"
    assert by_club[second.id].rejection_reason == "Hors périmètre"
