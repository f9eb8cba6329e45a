"""The demo's week of innovation."""

from sqlalchemy import func, select

from coordination.auth.services import find_user_by_email
from coordination.core.clock import utcnow
from coordination.demo import load_demo_data
from coordination.extensions import db
from coordination.participants.models import Registration
from coordination.programmes import demo
from coordination.programmes.models import EventStatus, ProgrammeEvent, event_organisers
from coordination.programmes.queries import my_events
from coordination.stops.models import Stop


def test_demo_week_of_innovation():
    now = utcnow()
    assert load_demo_data(now)
    events = list(db.session.scalars(select(ProgrammeEvent)))
    assert len(events) == 30
    published = [e for e in events if e.status == EventStatus.PUBLISHED]
    assert len(published) >= 20 and all(e.stop_id for e in published)
    organisers = db.session.scalar(
        select(func.count(func.distinct(event_organisers.c.organisation_id)))
    )
    assert organisers >= 40
    assert len({e.commune_insee for e in events}) >= 20
    stop_ids = [e.stop_id for e in published]
    assert db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.stop_id.in_(stop_ids))
    )
    assert all(
        s.starts_at > now for s in db.session.scalars(select(Stop).where(Stop.id.in_(stop_ids)))
    )
    partner = find_user_by_email("partenaire@demo.innovent-e.fr")
    statuses = {e.status for e in my_events(partner)}
    assert {EventStatus.DRAFT, EventStatus.RETURNED, EventStatus.PUBLISHED} <= statuses
    # Idempotent: a second run adds nothing.
    demo.load_demo(now)
    assert db.session.scalar(select(func.count()).select_from(ProgrammeEvent)) == 30
