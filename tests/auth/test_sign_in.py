import re
from datetime import timedelta

from sqlalchemy import select

from coordination.auth.models import LoginToken
from coordination.auth.services import issue_login_link, use_login_token
from coordination.core.clock import utcnow
from coordination.notifications.models import OutboxMessage


def _link_secret(message: OutboxMessage) -> str:
    return re.search(r"/connexion/lien/([A-Za-z0-9_-]+)", message.text_body).group(1)


def test_sign_in_with_password_signs_in(client, staff, sign_in):
    sign_in(staff)
    page = client.get("/profil")
    assert page.status_code == 200
    assert "equipe@example.org" in page.get_data(as_text=True)


def test_sign_in_with_wrong_password_keeps_email_and_says_why(client, staff, db_session):
    db_session.commit()
    response = client.post("/connexion", data={"email": staff.email, "password": "nope"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="equipe@example.org"' in body
    assert "Adresse électronique ou mot de passe incorrect." in body


def test_sign_in_with_unknown_email_fails_like_a_wrong_password(client):
    response = client.post("/connexion", data={"email": "ghost@example.org", "password": "x"})
    assert "Adresse électronique ou mot de passe incorrect." in response.get_data(as_text=True)


def test_sign_out_signs_out(client, staff, sign_in):
    sign_in(staff)
    assert client.post("/deconnexion").status_code == 302
    assert client.get("/profil").status_code == 302


def test_login_link_is_queued_in_the_outbox_not_sent(client, make_user, db_session):
    user = make_user("partner@example.org", roles=("partner_contact",), password=None)
    db_session.commit()
    response = client.post("/connexion/lien", data={"email": "Partner@Example.org "})
    assert response.status_code == 200
    message = db_session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == user.id))
    assert message.template == "auth/login_link"
    assert message.status == "pending"
    assert message.subject == "Votre lien de connexion"
    assert "http://localhost/connexion/lien/" in message.text_body


def test_login_link_for_unknown_address_says_the_same_and_queues_nothing(client, db_session):
    response = client.post("/connexion/lien", data={"email": "ghost@example.org"})
    assert response.status_code == 200
    assert "ghost@example.org" in response.get_data(as_text=True)
    assert db_session.scalar(select(OutboxMessage)) is None


def test_login_link_get_does_not_spend_it_post_does(client, make_user, db_session):
    user = make_user("partner@example.org", password=None)
    issue_login_link(user, utcnow())
    db_session.commit()
    secret = _link_secret(db_session.scalar(select(OutboxMessage)))

    assert client.get(f"/connexion/lien/{secret}").status_code == 200  # a mail scanner's visit
    assert client.post(f"/connexion/lien/{secret}").status_code == 302
    assert client.get("/profil").status_code == 200
    client.post("/deconnexion")
    again = client.post(f"/connexion/lien/{secret}")
    assert again.status_code == 410
    assert client.get("/profil").status_code == 302


def test_login_link_is_stored_hashed(make_user, db_session):
    user = make_user("partner@example.org", password=None)
    url = issue_login_link(user, utcnow())
    token = db_session.scalar(select(LoginToken))
    secret = url.rsplit("/", 1)[1]
    assert secret not in token.token_hash
    assert len(token.token_hash) == 64


def test_login_link_expires(make_user, db_session, now):
    user = make_user("partner@example.org", password=None)
    url = issue_login_link(user, now)
    secret = url.rsplit("/", 1)[1]
    assert use_login_token(secret, now + timedelta(minutes=31)) is None
    assert use_login_token(secret, now + timedelta(minutes=29)).user_id == user.id


def test_login_link_next_path_only_on_this_site(make_user, db_session, now):
    user = make_user("partner@example.org", password=None)
    issue_login_link(user, now, next_path="//evil.example/")
    issue_login_link(user, now, next_path="/profil")
    assert [
        t.next_path for t in db_session.scalars(select(LoginToken).order_by(LoginToken.id))
    ] == [
        None,
        "/profil",
    ]


def test_sign_in_attempts_are_rate_limited(app, client):
    statuses = [
        client.post(
            "/connexion",
            data={"email": "x@example.org", "password": "x"},
            environ_base={"REMOTE_ADDR": "10.9.9.9"},
        ).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    other = client.post(
        "/connexion",
        data={"email": "x@example.org", "password": "x"},
        environ_base={"REMOTE_ADDR": "10.9.9.10"},
    )
    assert other.status_code == 200
