"""The demo data: a waiting list on the coming stop and figures in the observatory."""

from sqlalchemy import func, select

from coordination.auth.services import find_user_by_email
from coordination.campaigns.models import Edition
from coordination.core.clock import utcnow
from coordination.demo import DEMO_PASSWORD, load_demo_data
from coordination.extensions import db
from coordination.participants.models import NeedResponse, Seat, Workshop
from coordination.stops.models import Stop


def test_demo_has_waiting_list_and_observatory_figures(client):
    assert load_demo_data(utcnow())
    db.session.commit()
    # The tour's coming stop (the forum's demo has its own waiting list, tests/forums).
    waiting = db.session.scalar(
        select(func.count())
        .select_from(Seat)
        .join(Workshop)
        .join(Stop)
        .join(Edition)
        .where(Seat.status == "waiting", Edition.kind == "tour")
    )
    assert waiting == 2
    assert db.session.scalar(select(func.count()).select_from(NeedResponse)) == 17
    staff = find_user_by_email("equipe@demo.innovent-e.fr")
    client.post("/connexion", data={"email": staff.email, "password": DEMO_PASSWORD})
    html = client.get("/observatoire?par=territory").get_data(as_text=True)
    assert html.count("&lt; 5") >= 1
    assert 'id="needs"' in html
