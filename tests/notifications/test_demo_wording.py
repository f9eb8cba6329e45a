"""The demo: the coming edition's acceptance letter reworded in French, previewed for real."""

from sqlalchemy import select

from coordination.auth.services import find_user_by_email
from coordination.core.clock import utcnow
from coordination.demo import load_demo_data
from coordination.notifications.catalogue import KINDS
from coordination.notifications.models import MessageTemplate


def test_demo_edition_has_one_edited_wording_shown_and_previewed(client, sign_in, db_session):
    assert load_demo_data(utcnow())
    (row,) = db_session.scalars(select(MessageTemplate)).all()
    assert (row.kind, row.locale) == ("campaigns/decision_accepted", "fr")
    sign_in(find_user_by_email("equipe@demo.innovent-e.fr"), "demo-password-2026")
    base = f"/equipe/courriels/editions/{row.edition_id}/textes"
    listing = client.get(base).get_data(as_text=True)
    assert listing.count("Modifié") == 1
    page = client.get(f"{base}/campaigns--decision_accepted/fr").get_data(as_text=True)
    assert "Votre territoire accueille la Tournée" in page
    assert "Bonne nouvelle : la candidature de" in page  # rendered with a real application
    assert "\n\n\n" not in page.split('id="preview-fr"')[1].split("</pre>")[0]
    english = client.get(f"{base}/campaigns--decision_accepted/en")
    assert english.status_code == 200
    for kind in KINDS:
        for locale in ("fr", "en"):
            response = client.get(f"{base}/{kind.replace('/', '--')}/{locale}")
            assert response.status_code == 200, kind
            # Every message has a real example in the demo edition.
            assert "pas encore de tel message" not in response.get_data(as_text=True), kind
