"""Check-in badges as a PDF: names in it, 8 to a page, for staff and hosts only."""

import io

import pytest
from pypdf import PdfReader

from coordination.extensions import db
from coordination.participants import services
from tests.forums.conftest import person


def _read(response) -> PdfReader:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(("count", "pages"), [(0, 1), (8, 1), (9, 2), (17, 3)])
def test_badges_pdf_has_every_registrant_eight_to_a_page(
    client, staff, sign_in, forum, now, count, pages
):
    for n in range(1, count + 1):
        services.register(forum, person(n, first_name=f"Élodie{n}"), [], "fr", now)
    sign_in(staff)
    reader = _read(client.get(f"/etapes/{forum.id}/participants/badges.pdf"))
    assert len(reader.pages) == pages
    text = _text(reader)
    for n in range(1, count + 1):
        assert f"Élodie{n} Nom{n}" in text
        assert f"Société {n}" in text
        assert f"Rôle {n}" in text
    if count:
        assert "Forum PEAK — Innovation et compétences" in text
        assert "jeudi 14 janvier 2027" in text


def test_cancelled_registrations_get_no_badge(client, staff, sign_in, forum, now):
    kept = services.register(forum, person(1), [], "fr", now)
    gone = services.register(forum, person(2), [], "fr", now)
    services.cancel_registration(gone, now)
    sign_in(staff)
    text = _text(_read(client.get(f"/etapes/{forum.id}/participants/badges.pdf")))
    assert kept.name in text and gone.name not in text


def test_a_long_name_is_fitted_not_lost(client, staff, sign_in, forum, now):
    long_name = "Marie-Bernadette-Apolline"
    services.register(
        forum, person(1, first_name=long_name, last_name="de La Tour-Montgenèvre"), [], "fr", now
    )
    sign_in(staff)
    text = _text(_read(client.get(f"/etapes/{forum.id}/participants/badges.pdf")))
    assert long_name in text


def test_the_stops_host_gets_the_badges(client, host, sign_in, forum):
    sign_in(host)
    assert client.get(f"/etapes/{forum.id}/participants/badges.pdf").status_code == 200


def test_strangers_get_no_badges(client, make_user, sign_in, forum):
    db.session.commit()
    url = f"/etapes/{forum.id}/participants/badges.pdf"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/connexion" in anonymous.location
    stranger = make_user("autre@territoire.example", roles=("territory_contact",))
    sign_in(stranger)
    assert client.get(url).status_code == 403
    assert client.get("/etapes/999999/participants/badges.pdf").status_code == 404
