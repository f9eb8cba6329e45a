import pytest


@pytest.mark.parametrize("path", ["/equipe/courriels/", "/territoires"])
def test_staff_pages_redirect_anonymous_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")


@pytest.mark.parametrize("path", ["/equipe/courriels/", "/territoires"])
def test_staff_pages_refuse_other_roles_in_french(client, make_user, sign_in, path):
    sign_in(make_user("partner@example.org", roles=("partner_contact",)))
    response = client.get(path)
    assert response.status_code == 403
    assert "Vous n’avez pas accès à cette page." in response.get_data(as_text=True)


def test_unknown_page_is_a_404_in_the_users_language(client):
    assert "Cette page n’existe pas" in client.get("/nulle-part").get_data(as_text=True)
    client.post("/langue", data={"locale": "en"})
    assert "This page does not exist" in client.get("/nulle-part").get_data(as_text=True)


def test_security_headers_are_set(client):
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_language_choice_is_remembered_for_the_account(client, make_user, sign_in, db_session):
    user = make_user("partner@example.org", roles=("partner_contact",))
    sign_in(user)
    client.post("/langue", data={"locale": "en", "next": "/profil"})
    db_session.expire_all()
    assert user.locale == "en"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_foreign_redirects(client):
    response = client.post("/langue", data={"locale": "de", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)
