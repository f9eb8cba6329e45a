"""The demo data: one message sent to a stop's participants, one bounced address flagged."""

from sqlalchemy import select

from coordination.auth.services import find_user_by_email
from coordination.core.clock import utcnow
from coordination.demo import DEMO_PASSWORD, load_demo_data
from coordination.extensions import db
from coordination.notifications.models import GroupMessage, OutboxMessage


def test_demo_has_a_group_message_and_a_flagged_bounce(client):
    assert load_demo_data(utcnow())
    db.session.commit()
    message = db.session.scalar(select(GroupMessage))
    assert message is not None and message.recipient_count == 5
    queued = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "notifications/group")
    ).all()
    assert len(queued) == 5 and all(m.headers.get("List-Unsubscribe") for m in queued)
    staff = find_user_by_email("equipe@demo.innovent-e.fr")
    partner = find_user_by_email("partenaire@demo.innovent-e.fr")
    client.post("/connexion", data={"email": staff.email, "password": DEMO_PASSWORD})
    page = client.get(f"/equipe/comptes/{partner.id}").get_data(as_text=True)
    assert 'id="mail-suppression"' in page and "550 5.1.1" in page
    assert "Infos pratiques" in client.get("/equipe/courriels/groupes").get_data(as_text=True)
