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


def test_short_new_password_is_refused_and_input_kept(client, staff, sign_in):
    sign_in(staff)
    response = client.post(
        "/profil",
        data={
            "name": "Camille Typed",
            "locale": "fr",
            "digest_frequency": "off",
            "new_password": "short",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Camille Typed"' in body
    assert "La longueur du champ doit être comprise entre 12 et 200 caractères." in body
