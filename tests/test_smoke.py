from sqlalchemy import func, select

from coordination.territories.models import Commune


def test_home_page_is_french_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.get_data(as_text=True)


def test_reference_data_is_loaded_once_per_session(db_session):
    assert db_session.scalar(select(func.count()).select_from(Commune)) == 34875


def test_health_endpoint_answers_without_the_database(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})
