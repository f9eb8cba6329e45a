"""The guard at the edge: a NUL anywhere in a request is a 400 page in French, not a 500."""

import io

import pytest

MESSAGE_FR = "La requête contient un caractère interdit (un caractère NUL)."


@pytest.mark.parametrize(
    "method, path, kwargs",
    [
        ("GET", "/editions/tournee%002026", {}),
        ("GET", "/clubs/?q=Amiens%00", {}),
        ("GET", "/calendrier/editions/x%00.ics", {}),
        ("POST", "/clubs/inscription", {"data": {"email": "a\x00@example.org"}}),
        ("POST", "/connexion", {"data": {"email\x00": "a@example.org"}}),
        (
            "POST",
            "/clubs/inscription",
            {"data": {"logo": (io.BytesIO(b"x"), "logo\x00.png")}},
        ),
        ("POST", "/connexion", {"json": {"email": ["a\x00@example.org"]}}),
        ("GET", "/", {"headers": {"User-Agent": "probe\x00"}}),
    ],
)
def test_a_nul_anywhere_is_refused_with_a_400_in_french(client, method, path, kwargs):
    response = client.open(path, method=method, **kwargs)
    assert response.status_code == 400
    if "json" not in kwargs:
        assert MESSAGE_FR in response.get_data(as_text=True)


def test_a_nul_refused_as_json_for_api_callers(client):
    response = client.post("/api/anything", json={"name": "x\x00"})
    assert response.status_code == 400
    assert response.get_json() == {"error": MESSAGE_FR}


def test_ordinary_text_still_passes(client):
    assert client.get("/clubs/?q=Saint-Quentin").status_code == 200
