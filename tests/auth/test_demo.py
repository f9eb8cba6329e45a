"""The demo fills the accounts pages: a deactivated account, audit lines, an erasure request."""

from sqlalchemy import select

from coordination.auth.models import AccountEvent
from coordination.core.clock import utcnow
from coordination.demo import DEMO_PASSWORD, load_demo_data
from coordination.extensions import db


def test_demo_fills_the_accounts_pages(client):
    assert load_demo_data(utcnow())
    db.session.commit()
    client.post(
        "/connexion", data={"email": "equipe@demo.innovent-e.fr", "password": DEMO_PASSWORD}
    )
    accounts = client.get("/equipe/comptes?state=inactive").get_data(as_text=True)
    assert "ancien.stagiaire@demo.innovent-e.fr" in accounts
    assert "julie.roux@entreprise.example" in client.get("/equipe/comptes/effacements").get_data(
        as_text=True
    )
    actions = db.session.scalars(select(AccountEvent.action)).all()
    assert sorted(set(actions)) == [
        "created",
        "deactivated",
        "erasure_requested",
        "invited",
        "roles_changed",
    ]
    log = client.get("/equipe/comptes/journal").get_data(as_text=True)
    assert "ligne de commande" in log and "Camille Martin" in log
