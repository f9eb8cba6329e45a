"""Staff pages of group messages: compose, preview, send; outbox shows delivery."""

from sqlalchemy import select

from coordination.extensions import db
from coordination.notifications.models import GroupMessage, OutboxMessage


def test_preview_then_send_to_a_stop(client, sign_in, staff, stop, register):
    register(stop, 1)
    register(stop, 2)
    sign_in(staff)
    page = client.get(f"/equipe/courriels/groupes/nouveau?group=stop:{stop.id}")
    assert page.status_code == 200 and b"workshop_id" in page.data
    data = {"group": f"stop:{stop.id}", "subject": "Parking", "body": "Rue Haute.\n\nÀ bientôt."}
    preview = client.post("/equipe/courriels/groupes/nouveau", data={**data, "action": "preview"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'data-count="2"' in html
    assert "p1@example.org" in html and "Rue Haute." in html
    assert db.session.scalar(select(GroupMessage)) is None  # a preview sends nothing
    sent = client.post("/equipe/courriels/groupes/nouveau", data={**data, "action": "send"})
    assert sent.status_code == 302
    message = db.session.scalar(select(GroupMessage))
    assert message.recipient_count == 2 and message.sender_id == staff.id
    listing = client.get("/equipe/courriels/groupes").get_data(as_text=True)
    assert "Parking" in listing
    outbox = client.get("/equipe/courriels/").get_data(as_text=True)
    assert "Parking" in outbox


def test_bad_input_keeps_what_was_typed(client, sign_in, staff, stop):
    sign_in(staff)
    answer = client.post(
        "/equipe/courriels/groupes/nouveau",
        data={"group": "stop:999999", "subject": "Garde-moi", "body": "", "action": "send"},
    )
    assert answer.status_code == 200
    assert "Garde-moi" in answer.get_data(as_text=True)
    forged = client.post(
        "/equipe/courriels/groupes/nouveau",
        data={"group": "nonsense", "subject": "S", "body": "B", "workshop_id": "x" * 40},
    )
    assert forged.status_code == 200
    assert db.session.scalar(select(OutboxMessage)) is None


def test_only_staff(client, sign_in, make_user):
    sign_in(make_user("nobody@example.org"))
    assert client.get("/equipe/courriels/groupes/nouveau").status_code in (302, 403)
