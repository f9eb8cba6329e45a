"""Two people taking the last place at once (real commits, one connection each):
one gets the place, the other a place on the waiting list."""

import threading
from datetime import timedelta

from sqlalchemy import select

from coordination.extensions import db
from coordination.participants import services
from coordination.participants.models import Seat, Workshop
from tests.participants.conftest import person


def test_two_people_last_place_at_once_one_gets_it(app, committed, make_stop, now):
    stop = make_stop(capacity=1, day=now.date() + timedelta(days=200))
    stop_id = stop.id
    workshop_id = db.session.scalar(
        select(Workshop.id).where(Workshop.stop_id == stop_id).order_by(Workshop.position)
    )
    db.session.commit()
    barrier = threading.Barrier(2)
    errors = []

    def take(n):
        try:
            with app.app_context():
                the_stop = db.session.get(type(stop), stop_id)
                # End the read transaction (on SQLite it holds the write lock), then go
                # together: both see the last place free.
                db.session.commit()
                barrier.wait(timeout=10)
                services.register(the_stop, person(n), [workshop_id], "fr", now)
                db.session.commit()
                db.session.remove()
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=take, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    seats = select(Seat.status).where(Seat.workshop_id == workshop_id)
    statuses = sorted(db.session.scalars(seats))
    assert statuses == ["confirmed", "waiting"]
    assert db.session.get(Workshop, workshop_id).seats_taken == 1
