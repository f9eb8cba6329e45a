"""The forum's demo: a confirmed day in Annecy, its programme and ~120 registrations."""

from sqlalchemy import func, select

from coordination.campaigns.models import Edition
from coordination.core.clock import utcnow
from coordination.extensions import db
from coordination.forums import demo
from coordination.forums.models import Speaker
from coordination.participants.models import Registration, Seat, SeatStatus
from coordination.participants.sessions import overlapping
from coordination.stops.models import Stop


def _count(statement) -> int:
    return db.session.scalar(statement)


def test_forum_demo_has_programme_speakers_registrations_and_a_waiting_list(client, staff, sign_in):
    now = utcnow()
    demo.load_demo(now)
    demo.load_demo(now)  # idempotent
    (edition,) = db.session.scalars(select(Edition).where(Edition.kind == "forum")).all()
    (stop,) = db.session.scalars(select(Stop).where(Stop.edition_id == edition.id)).all()
    assert (stop.status, stop.city, stop.commune_insee) == ("confirmed", "Annecy", "74010")
    assert len(stop.agenda_items) == len(demo.PROGRAMME) >= 10
    kinds = {i.kind for i in stop.agenda_items}
    assert {"plenary", "round_table", "workshop", "break"} <= kinds
    assert _count(select(func.count(Speaker.id))) >= 10
    registrations = db.session.scalars(
        select(Registration).where(Registration.stop_id == stop.id)
    ).all()
    assert len(registrations) == demo.REGISTRANTS
    # Nobody holds two sessions at the same time; the small workshop has a waiting list.
    assert all(overlapping([s.workshop for s in r.seats]) is None for r in registrations)
    assert _count(select(func.count(Seat.id)).where(Seat.status == SeatStatus.WAITING)) > 0
    db.session.commit()
    html = client.get(f"/forums/{stop.id}/programme").get_data(as_text=True)
    assert "Forum PEAK" in html and "Salle Semnoz" in html and "Thésame" in html
    sign_in(staff)
    assert client.get(f"/etapes/{stop.id}/participants/badges.pdf").status_code == 200
