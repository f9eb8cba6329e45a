"""A participant's registration link: masked on every staff outbox page, working in the
email they receive."""

from coordination.core.clock import utcnow
from coordination.extensions import db
from coordination.notifications.backends import get_backend
from coordination.notifications.secrets import MASK
from coordination.notifications.services import deliver_due_messages
from coordination.participants import services
from tests.participants.conftest import outbox


def test_registration_link_is_masked_for_staff_and_works_for_the_participant(
    client, stop, register, staff, sign_in
):
    registration = register(stop, 1)
    token = services.make_token("registration", registration.id)
    db.session.commit()
    deliver_due_messages(utcnow(), worker="test")
    [message] = outbox("participants/confirmation")

    sign_in(staff)
    for url in (
        "/equipe/courriels/",
        f"/equipe/courriels/{message.id}",
        f"/equipe/courriels/{message.id}/html",
    ):
        body = client.get(url).get_data(as_text=True)
        assert token not in body
    page = client.get(f"/equipe/courriels/{message.id}").get_data(as_text=True)
    assert f"/inscriptions/{MASK}" in page
    client.post("/deconnexion")
    assert client.get(f"/inscriptions/{MASK}").status_code == 404
    assert client.post(f"/inscriptions/{MASK}/annuler").status_code in (400, 404)

    [sent] = [m for m in get_backend().outbox if m.id == message.id]
    assert f"/inscriptions/{token}" in sent.text_body
    assert client.get(f"/inscriptions/{token}").status_code == 200
