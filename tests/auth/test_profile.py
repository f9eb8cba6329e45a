from coordination.auth.models import DigestFrequency


def test_staff_chooses_a_weekly_digest(client, staff, sign_in, db_session):
    sign_in(staff)
    response = client.post(
        "/profil", data={"name": "Camille", "locale": "fr", "digest_frequency": "weekly"}
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert staff.digest_frequency == DigestFrequency.WEEKLY
    assert staff.name == "Camille"


def test_non_staff_cannot_subscribe_to_digests(client, make_user, sign_in, db_session):
    user = make_user("partner@example.org", roles=("partner_contact",))
    sign_in(user)
    client.post("/profil", data={"name": "", "locale": "fr", "digest_frequency": "daily"})
    db_session.expire_all()
    assert user.digest_frequency == DigestFrequency.OFF


def test_short_new_password_is_refused(client, staff, sign_in):
    sign_in(staff)
    response = client.post(
        "/profil/mot-de-passe",
        data={"current_password": "correct horse battery", "new_password": "short"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "La longueur du champ doit être comprise entre 12 et 200 caractères." in body


def test_new_password_needs_the_current_one(client, staff, sign_in, db_session):
    sign_in(staff)
    wrong = client.post(
        "/profil/mot-de-passe",
        data={"current_password": "not it", "new_password": "a brand new passphrase"},
    )
    assert "Ce n’est pas votre mot de passe actuel." in wrong.get_data(as_text=True)
    right = client.post(
        "/profil/mot-de-passe",
        data={
            "current_password": "correct horse battery",
            "new_password": "a brand new passphrase",
        },
    )
    assert right.status_code == 302
    client.post("/deconnexion")
    assert (
        client.post(
            "/connexion", data={"email": staff.email, "password": "a brand new passphrase"}
        ).status_code
        == 302
    )


def _sign_in_by_link(app, client, email):
    output = app.test_cli_runner().invoke(args=["users", "create", email]).output
    return client.post(output.strip().splitlines()[-1].removeprefix("http://localhost"))


def test_a_fresh_link_sign_in_replaces_the_current_password(app, client, make_user, db_session):
    user = make_user("nopass@example.org", roles=("reviewer",), password=None)
    db_session.commit()
    client.post("/connexion", data={"email": user.email, "password": "anything at all"})
    # Without a recent link sign-in, an account without a password cannot set one.
    assert _sign_in_by_link(app, client, user.email).status_code == 302
    page = client.get("/profil/mot-de-passe").get_data(as_text=True)
    assert "Vous venez de vous connecter avec un lien à usage unique" in page
    assert 'name="current_password"' not in page
    done = client.post("/profil/mot-de-passe", data={"new_password": "my first passphrase"})
    assert done.status_code == 302
    db_session.expire_all()
    assert user.password_hash
    # The window is spent with the change: a second change needs the password.
    again = client.post("/profil/mot-de-passe", data={"new_password": "another passphrase!"})
    assert "Ce n’est pas votre mot de passe actuel." in again.get_data(as_text=True)


def test_the_link_window_closes_after_the_setting(app, client, make_user, db_session):
    user = make_user("nopass@example.org", roles=("reviewer",), password=None)
    db_session.commit()
    _sign_in_by_link(app, client, user.email)
    with client.session_transaction() as session:
        session["link_signed_in_at"] = "2020-01-01T10:00:00+00:00"
    refused = client.post("/profil/mot-de-passe", data={"new_password": "my first passphrase"})
    assert "Connectez-vous d’abord avec un lien à usage unique" in refused.get_data(as_text=True)
    with client.session_transaction() as session:
        session["link_signed_in_at"] = "not a date"
    assert (
        client.post(
            "/profil/mot-de-passe", data={"new_password": "my first passphrase"}
        ).status_code
        == 200
    )
    db_session.expire_all()
    assert user.password_hash is None


def test_password_page_needs_a_sign_in(client):
    assert client.get("/profil/mot-de-passe").status_code == 302
