"""The staff pages of accounts: search, invite, roles, (de)activation, audit log."""

import re

import pytest
from sqlalchemy import select

from coordination.auth import accounts
from coordination.auth.models import AccountEvent, User
from coordination.calendar.services import PERSONAL, active_feed_token, feed_secret
from coordination.notifications.models import OutboxMessage


@pytest.fixture
def signed_in_staff(staff, sign_in):
    sign_in(staff)
    return staff


def test_accounts_page_searches_by_name_email_and_organisation(
    client, signed_in_staff, make_user, db_session
):
    from coordination.clubs.models import PartnerContact, PartnerOrganisation
    from coordination.core.clock import utcnow
    from coordination.core.text import search_key

    partner = make_user("p@univ.example", roles=("partner_contact",), name="Paul Partner")
    make_user("rev@example.org", roles=("reviewer",), name="Rita Reviewer", is_active=False)
    organisation = PartnerOrganisation(
        name="Université d'Orléans",
        search_name=search_key("Université d'Orléans"),
        kind="university",
    )
    db_session.add(organisation)
    db_session.flush()
    db_session.add(
        PartnerContact(organisation_id=organisation.id, user_id=partner.id, created_at=utcnow())
    )
    db_session.commit()

    def emails(**params):
        body = client.get("/equipe/comptes", query_string=params).get_data(as_text=True)
        table = body.split('data-testid="accounts"')[1] if 'data-testid="accounts"' in body else ""
        return re.findall(r"<td>([^<@]+@[^<]+)</td>", table)

    assert emails() == ["equipe@example.org", "p@univ.example", "rev@example.org"]
    assert emails(q="orleans") == ["p@univ.example"]
    assert emails(q="Orléans") == ["p@univ.example"]
    assert emails(q="RITA") == ["rev@example.org"]
    assert emails(q="univ.example") == ["p@univ.example"]
    assert emails(role="reviewer") == ["rev@example.org"]
    assert emails(state="inactive") == ["rev@example.org"]
    assert emails(state="active", role="staff") == ["equipe@example.org"]
    assert emails(q="%") == []
    # Nonsense filters are ignored, never a 500.
    assert client.get("/equipe/comptes?role=king&state=x&page=-4").status_code == 200
    assert client.get("/equipe/comptes?page=99999999999999").status_code == 200


def test_accounts_page_queries_do_not_grow_with_accounts(
    client, signed_in_staff, make_user, query_counter
):
    def count() -> int:
        with query_counter() as statements:
            assert client.get("/equipe/comptes").status_code == 200
        return len(statements)

    make_user("one@example.org", roles=("reviewer",))
    with_one = count()
    make_user("two@example.org", roles=("reviewer",))
    make_user("three@example.org", roles=("partner_contact", "reviewer"))
    assert count() == with_one


def test_last_sign_in_is_shown_in_paris_time(client, signed_in_staff, make_user, db_session):
    from datetime import UTC, datetime

    make_user(
        "r@example.org",
        roles=("reviewer",),
        last_sign_in_at=datetime(2026, 7, 1, 22, 30, tzinfo=UTC),
    )
    db_session.commit()
    body = client.get("/equipe/comptes").get_data(as_text=True)
    assert "2 juil. 2026 à 0\u00a0h\u00a030" in body


def test_invite_creates_the_account_and_emails_a_sign_in_link(client, signed_in_staff, db_session):
    response = client.post(
        "/equipe/comptes/inviter",
        data={
            "email": "New.Reviewer@Example.org",
            "name": "Nora",
            "roles": ["reviewer"],
            "locale": "en",
        },
    )
    assert response.status_code == 302
    user = db_session.scalar(select(User).where(User.email == "new.reviewer@example.org"))
    assert (user.name, user.roles, user.locale) == ("Nora", {"reviewer"}, "en")
    message = db_session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == user.id))
    assert message.template == "auth/invitation"
    assert message.subject == "You are invited to the InnovENT-E platform"
    assert "Camille Staff has opened an account for you" in message.text_body
    path = re.search(r"http://localhost(/connexion/lien/\S+)", message.text_body).group(1)
    actions = db_session.execute(
        select(AccountEvent.action, AccountEvent.actor_id)
        .where(AccountEvent.target_id == user.id)
        .order_by(AccountEvent.id)
    ).all()
    assert actions == [("created", signed_in_staff.id), ("invited", signed_in_staff.id)]
    client.post("/deconnexion")
    assert client.post(path).status_code == 302
    assert client.get("/profil").status_code == 200


def test_invite_with_a_bad_address_keeps_what_was_typed(client, signed_in_staff, db_session):
    response = client.post(
        "/equipe/comptes/inviter",
        data={"email": "nope@", "name": "Nora Typed", "roles": ["reviewer", "bogus"]},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Nora Typed"' in body
    assert db_session.scalar(select(OutboxMessage)) is None


def test_change_roles_is_logged_from_and_to(client, signed_in_staff, make_user, db_session):
    user = make_user("r@example.org", roles=("reviewer",))
    db_session.commit()
    response = client.post(
        f"/equipe/comptes/{user.id}", data={"roles": ["partner_contact", "staff"]}
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert user.roles == {"partner_contact", "staff"}
    event = db_session.scalar(select(AccountEvent).where(AccountEvent.target_id == user.id))
    assert (event.roles_before, event.roles_after) == (["reviewer"], ["partner_contact", "staff"])
    log = client.get("/equipe/comptes/journal").get_data(as_text=True)
    assert "Rôles modifiés\u202f: Relecteur → Contact partenaire, Équipe (InnovENT-E)" in log
    assert "Camille Staff" in log


def test_staff_cannot_remove_their_own_staff_role(client, signed_in_staff, make_user, db_session):
    make_user("other@example.org", roles=("staff",))
    db_session.commit()
    response = client.post(f"/equipe/comptes/{signed_in_staff.id}", data={"roles": ["reviewer"]})
    assert response.status_code == 200
    assert "Vous ne pouvez pas retirer votre propre rôle d’équipe." in response.get_data(
        as_text=True
    )
    db_session.expire_all()
    assert signed_in_staff.roles == {"staff"}


def test_nobody_removes_or_deactivates_the_last_active_staff(
    app, staff, make_user, db_session, now
):
    other = make_user("other@example.org", roles=("staff",), is_active=False)
    with pytest.raises(accounts.AccountError, match="dernier compte actif"):
        accounts.deactivate(staff, now, actor=None)
    with pytest.raises(accounts.AccountError, match="dernier compte actif"):
        accounts.change_roles(staff, ["reviewer"], now, actor=other)
    accounts.reactivate(other, now, actor=None)
    assert accounts.deactivate(staff, now, actor=other) is True


def test_deactivate_from_the_page_then_reactivate(client, signed_in_staff, make_user, db_session):
    user = make_user("p@example.org", roles=("partner_contact",))
    db_session.commit()
    assert client.post(f"/equipe/comptes/{user.id}/desactiver").status_code == 302
    db_session.expire_all()
    assert user.is_active is False
    page = client.get(f"/equipe/comptes/{user.id}").get_data(as_text=True)
    assert "Réactiver le compte" in page and "Désactivé" in page
    client.post(f"/equipe/comptes/{user.id}/reactiver")
    db_session.expire_all()
    assert user.is_active is True
    own = client.post(f"/equipe/comptes/{signed_in_staff.id}/desactiver", follow_redirects=True)
    assert "Vous ne pouvez pas désactiver votre propre compte." in own.get_data(as_text=True)


def test_a_deactivated_account_cannot_sign_in_and_its_feeds_stop(
    client, make_user, db_session, now
):
    user = make_user("p@example.org", roles=("partner_contact",))
    token = active_feed_token(user, PERSONAL, now)
    secret = feed_secret(user.id, token.scope, token.version)
    db_session.commit()
    assert client.get(f"/calendrier/abonnement/{secret}.ics").status_code == 200
    client.post("/connexion", data={"email": user.email, "password": "correct horse battery"})
    assert client.get("/profil").status_code == 200
    link = client.application.test_cli_runner().invoke(args=["users", "create", user.email]).output
    path = link.strip().splitlines()[-1].removeprefix("http://localhost")

    accounts.deactivate(user, now, actor=None)
    db_session.commit()
    # The open session ends, and no way in is left: password, link, feed.
    assert client.get("/profil").status_code == 302
    refused = client.post(
        "/connexion", data={"email": user.email, "password": "correct horse battery"}
    )
    assert refused.status_code == 200
    assert client.post(path).status_code == 410
    assert client.get(f"/calendrier/abonnement/{secret}.ics").status_code == 404
    # Its history stays.
    assert db_session.get(User, user.id).email == "p@example.org"


PAGES = [
    ("get", "/equipe/comptes"),
    ("get", "/equipe/comptes/inviter"),
    ("post", "/equipe/comptes/inviter"),
    ("get", "/equipe/comptes/{id}"),
    ("post", "/equipe/comptes/{id}"),
    ("post", "/equipe/comptes/{id}/desactiver"),
    ("post", "/equipe/comptes/{id}/reactiver"),
    ("get", "/equipe/comptes/journal"),
    ("get", "/equipe/comptes/effacements"),
    ("post", "/equipe/comptes/{id}/effacer"),
]


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_account_pages_send_anonymous_people_to_sign_in(client, make_user, method, path):
    target = make_user("t@example.org", roles=("reviewer",))
    response = getattr(client, method)(path.format(id=target.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")


@pytest.mark.parametrize("role", ["reviewer", "territory_contact", "partner_contact"])
@pytest.mark.parametrize(("method", "path"), PAGES)
def test_account_pages_refuse_every_role_but_staff(
    client, make_user, sign_in, db_session, role, method, path
):
    target = make_user("t@example.org", roles=("reviewer",))
    sign_in(make_user("x@example.org", roles=(role,)))
    response = getattr(client, method)(path.format(id=target.id), data={"roles": ["staff"]})
    assert response.status_code == 403
    db_session.expire_all()
    assert (target.roles, target.is_active, target.erased_at) == ({"reviewer"}, True, None)


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_account_pages_let_staff_in(client, signed_in_staff, make_user, method, path):
    target = make_user("t@example.org", roles=("reviewer",))
    response = getattr(client, method)(path.format(id=target.id))
    assert response.status_code in (200, 302)


def test_unknown_account_is_a_404(client, signed_in_staff):
    assert client.get("/equipe/comptes/999999").status_code == 404
    assert client.post("/equipe/comptes/999999/desactiver").status_code == 404


def test_bad_input_on_the_accounts_pages_is_never_a_500(client, signed_in_staff, db_session):
    # A NUL is refused once, where requests come in (coordination/core/guards.py).
    assert client.get("/equipe/comptes", query_string={"q": "a\x00b"}).status_code == 400
    refused = client.post(
        "/equipe/comptes/inviter",
        data={"email": "n@example.org", "name": "No\x00ra", "roles": ["reviewer"], "locale": "fr"},
    )
    assert refused.status_code == 400
    response = client.post(
        "/equipe/comptes/inviter",
        data={"email": "n@example.org", "name": "Nora", "roles": ["reviewer"], "locale": "xx"},
    )
    assert response.status_code == 200  # the unknown language is refused, the rest kept
    assert 'value="Nora"' in response.get_data(as_text=True)
    ok = client.post(
        "/equipe/comptes/inviter",
        data={"email": "n@example.org", "name": "Nora", "roles": ["reviewer"], "locale": "fr"},
    )
    assert ok.status_code == 302
    assert db_session.scalar(select(User.name).where(User.email == "n@example.org")) == "Nora"
