"""Proposals, deadline, review transitions and publication (services)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.notifications.models import OutboxMessage
from coordination.participants import services as participants
from coordination.participants.models import Workshop
from coordination.programmes import services
from coordination.programmes.models import EventStatus
from coordination.stops.models import StopStatus
from coordination.stops.services import is_local_host
from tests.programmes.conftest import ARRAS, LILLE, event_fields


def _outbox(template):
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)))


def _visitor(email):
    return {
        "email": email,
        "first_name": "Val",
        "last_name": "Visiteur",
        "company_name": "PME test",
        "company_size": "small",
        "naf_code": "62.01Z",
    }


def test_call_deadline_must_follow_opening(week):
    opens = datetime(2026, 4, 1, 8, tzinfo=UTC)
    with pytest.raises(services.EventError):
        services.save_call(week, {"opens_at": opens, "closes_at": opens})
    call = services.save_call(week, {"opens_at": opens, "closes_at": opens + timedelta(days=3)})
    assert call.edition_id == week.id and call.closes_at == opens + timedelta(days=3)


def test_draft_then_submit(week, make_partner, now):
    user, organisation = make_partner()
    event = services.create_draft(week, event_fields(description=""), [organisation], user, now)
    assert event.status == EventStatus.DRAFT
    with pytest.raises(services.EventError):
        services.submit_event(event, user, now)
    assert event.status == EventStatus.DRAFT
    services.save_draft(event, event_fields(), [organisation], user, now)
    services.submit_event(event, user, now)
    assert event.status == EventStatus.SUBMITTED and event.submitted_at == now


def test_no_proposal_before_the_call_opens(week, make_partner):
    user, organisation = make_partner()
    with pytest.raises(services.EventError):
        services.create_draft(
            week, event_fields(), [organisation], user, datetime(2026, 1, 1, tzinfo=UTC)
        )


def test_deadline_keeps_the_draft(week, make_partner, make_event, now):
    user, organisation = make_partner()
    event = make_event([organisation])
    late = datetime(2026, 3, 6, 17, 0, tzinfo=UTC)
    with pytest.raises(services.EventError):
        services.submit_event(event, user, late)
    assert event.status == EventStatus.DRAFT
    services.submit_event(event, user, late - timedelta(seconds=1))
    assert event.status == EventStatus.SUBMITTED


def test_event_outside_the_edition_is_refused(week, make_partner, make_event, now):
    user, organisation = make_partner()
    outside = local_datetime(date(2026, 3, 25), time(10, 0))
    event = make_event([organisation], starts_at=outside, ends_at=outside + timedelta(hours=2))
    with pytest.raises(services.EventError):
        services.submit_event(event, user, now)


def test_organisers_must_include_one_of_mine(week, make_partner, make_organisation, now):
    user, _mine = make_partner()
    with pytest.raises(services.EventError):
        services.create_draft(week, event_fields(), [make_organisation()], user, now)


def test_end_after_start(week, make_partner, now):
    user, organisation = make_partner()
    fields = event_fields()
    fields["ends_at"] = fields["starts_at"]
    with pytest.raises(services.EventError):
        services.create_draft(week, fields, [organisation], user, now)


def test_illegal_transitions_refused(week, make_partner, make_event, staff, now):
    user, organisation = make_partner()
    draft = make_event([organisation])
    with pytest.raises(services.EventError):
        services.publish_event(draft, staff, now)
    with pytest.raises(services.EventError):
        services.return_event(draft, "Non", staff, now)
    submitted = make_event([organisation], status="submitted")
    with pytest.raises(services.EventError):
        services.return_event(submitted, "  ", staff, now)
    services.publish_event(submitted, staff, now)
    with pytest.raises(services.EventError):
        services.publish_event(submitted, staff, now)
    with pytest.raises(services.EventError):
        services.return_event(submitted, "Trop tard", staff, now)
    with pytest.raises(services.EventError):
        services.submit_event(submitted, user, now)


def test_send_back_emails_the_organisers(week, make_partner, make_event, staff, now):
    user, organisation = make_partner()
    event = make_event([organisation], status="submitted")
    services.return_event(event, "Précisez le public.", staff, now)
    assert event.status == EventStatus.RETURNED and event.review_comment == "Précisez le public."
    [message] = _outbox("programmes/returned")
    assert message.to_email == user.email and "Précisez le public." in message.text_body
    # Sent back, it can be changed and submitted again, even after the deadline.
    services.save_draft(event, event_fields(audience="Étudiants"), [organisation], user, now)
    services.submit_event(event, user, datetime(2026, 3, 10, tzinfo=UTC))
    assert event.status == EventStatus.SUBMITTED


def test_publish_creates_the_stop_and_workshop(week, make_partner, make_organisation, staff, now):
    user, organisation = make_partner()
    other = make_organisation("Université test")
    event = services.create_draft(week, event_fields(), [organisation, other], user, now)
    services.submit_event(event, user, now)
    stop = services.publish_event(event, staff, now)
    assert event.status == EventStatus.PUBLISHED and event.stop_id == stop.id
    assert stop.edition_id == week.id and stop.status == StopStatus.CONFIRMED
    assert stop.confirmed_at == now and stop.territory_id is None
    assert (stop.title, stop.starts_at, stop.ends_at) == (
        event.title,
        event.starts_at,
        event.ends_at,
    )
    assert stop.city == "Lille" and stop.commune_insee == LILLE and stop.latitude
    assert stop.capacity == 2
    assert set(stop.partners.splitlines()) == {organisation.name, "Université test"}
    [item] = stop.agenda_items
    assert item.title == event.title and item.starts_on == time(14, 0)
    [workshop] = db.session.scalars(select(Workshop).where(Workshop.stop_id == stop.id)).all()
    assert workshop.capacity == 2
    assert _outbox("programmes/published")[0].to_email == user.email
    # Registration with capacity and waiting list, through the participants' code.
    seats = []
    for n in range(3):
        registration = participants.register(
            stop,
            _visitor(f"v{n}@example.org"),
            [workshop.id],
            "fr",
            now,
        )
        seats.append(registration.seats[0].status)
    assert seats == ["confirmed", "confirmed", "waiting"]


def test_publish_without_registration_has_no_workshop(week, make_partner, make_event, staff, now):
    _user, organisation = make_partner()
    event = make_event([organisation], status="submitted", is_registration_required=False)
    stop = services.publish_event(event, staff, now)
    assert stop.agenda_items == []
    assert db.session.scalar(select(Workshop).where(Workshop.stop_id == stop.id)) is None


def test_organiser_edit_raises_the_sequence(week, make_partner, make_event, staff, now):
    user, organisation = make_partner()
    event = make_event([organisation], status="submitted")
    stop = services.publish_event(event, staff, now)
    registration = participants.register(
        stop,
        _visitor("v@example.org"),
        [participants.open_workshops(stop)[0].id],
        "fr",
        now,
    )
    sequence = stop.sequence
    later = local_datetime(date(2026, 3, 18), time(9, 0))
    fields = event_fields(
        title="Portes ouvertes (nouvel horaire)",
        starts_at=later,
        ends_at=later + timedelta(hours=3),
        commune_insee=ARRAS,
        capacity=5,
    )
    services.update_published_event(event, fields, [organisation], user, now)
    assert stop.sequence > sequence
    assert (stop.starts_at, stop.title, stop.city) == (later, fields["title"], "Arras")
    assert event.starts_at == later
    [workshop] = participants.open_workshops(stop)
    assert workshop.title == fields["title"] and workshop.capacity == 5
    # The registration stayed on the same workshop, and the registrant is told.
    assert registration.seats[0].workshop_id == workshop.id
    assert any(m.to_email == "v@example.org" for m in _outbox("participants/stop_changed"))


def test_withdraw_published_cancels_the_stop(week, make_partner, make_event, staff, now):
    _user, organisation = make_partner()
    event = make_event([organisation], status="submitted")
    stop = services.publish_event(event, staff, now)
    services.withdraw_event(event, staff, now, reason="Annulé par l'organisateur")
    assert event.status == EventStatus.WITHDRAWN and stop.status == StopStatus.CANCELLED
    with pytest.raises(services.EventError):
        services.withdraw_event(event, staff, now)


def test_organisers_host_the_stop(week, make_partner, make_event, staff, now):
    user, organisation = make_partner()
    stranger, _other = make_partner()
    pending, _theirs = make_partner(approved=False)
    event = make_event([organisation], status="submitted")
    stop = services.publish_event(event, staff, now)
    assert is_local_host(user, stop)
    assert not is_local_host(stranger, stop)
    assert not is_local_host(pending, stop)


def test_event_follows_its_stop_changed_directly(week, make_partner, make_event, staff, now):
    from coordination.stops import services as stops

    _user, organisation = make_partner()
    event = make_event([organisation], status="submitted")
    stop = services.publish_event(event, staff, now)
    later = local_datetime(date(2026, 3, 19), time(10, 0))
    stops.reschedule_stop(stop, later, later + timedelta(hours=2), staff, now)
    stops.update_stop(stop, {"venue_name": "Amphi B"}, staff, now, local_only=True)
    assert (event.starts_at, event.venue_name) == (later, "Amphi B")
    stops.cancel_stop(stop, staff, now, reason="Intempéries")
    assert event.status == EventStatus.WITHDRAWN and event.review_comment == "Intempéries"
