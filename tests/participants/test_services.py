"""Registration, places, the waiting list and offers, reminders, questionnaires."""

from datetime import timedelta

import pytest

from coordination.extensions import db
from coordination.participants import services
from coordination.participants.models import SeatStatus
from coordination.stops.models import StopStatus
from tests.participants.conftest import outbox, workshops_of


def test_register_confirmed_seat_sends_invitation_with_cancel_link(stop, register, now):
    registration = register(stop, 1)
    assert [s.status for s in registration.seats] == ["confirmed", "confirmed"]
    assert [w.seats_taken for w in workshops_of(stop)] == [1, 1]
    [message] = outbox("participants/confirmation")
    assert message.to_email == "p1@example.org"
    assert message.calendar_method == "REQUEST"
    assert "METHOD:REQUEST" in message.calendar_ics
    assert f"UID:{stop.uid}" in message.calendar_ics
    assert "mailto:p1@example.org" in message.calendar_ics
    token = services.make_token("registration", registration.id)
    assert f"/inscriptions/{token}" in message.text_body


def test_register_full_workshop_goes_to_waiting_list(stop, register):
    innovation, international = workshops_of(stop)
    register(stop, 1, [innovation])
    register(stop, 2, [innovation])
    third = register(stop, 3, [innovation, international])
    assert [s.status for s in third.seats] == ["waiting", "confirmed"]
    assert innovation.seats_taken == 2


def test_register_twice_same_email_refused(stop, register):
    register(stop, 1)
    with pytest.raises(services.ParticipantError):
        register(stop, 1)


def test_register_tentative_stop_refused(make_stop, register):
    stop = make_stop(status=StopStatus.TENTATIVE)
    with pytest.raises(services.ParticipantError):
        register(stop, 1)


def test_cancel_offers_place_to_first_on_waiting_list(stop, register, now):
    innovation, _international = workshops_of(stop)
    first = register(stop, 1, [innovation])
    register(stop, 2, [innovation])
    waiting_a = register(stop, 3, [innovation], at=now + timedelta(minutes=1))
    waiting_b = register(stop, 4, [innovation], at=now + timedelta(minutes=2))
    later = now + timedelta(hours=1)
    services.cancel_registration(first, later)
    assert first.cancelled_at == later
    assert waiting_a.seats[0].status == SeatStatus.OFFERED
    assert waiting_a.seats[0].offer_expires_at == later + timedelta(hours=48)
    assert waiting_b.seats[0].status == SeatStatus.WAITING
    assert innovation.seats_taken == 2
    [offer] = outbox("participants/offer")
    assert offer.to_email == "p3@example.org"
    [cancelled] = outbox("participants/cancelled")
    assert cancelled.calendar_method == "CANCEL"
    assert "METHOD:CANCEL" in cancelled.calendar_ics


def test_offers_expire_in_order_then_place_is_free(make_stop, register, now):
    stop = make_stop(capacity=1)
    workshop = workshops_of(stop)[0]
    first = register(stop, 1, [workshop])
    second = register(stop, 2, [workshop], at=now + timedelta(minutes=1))
    third = register(stop, 3, [workshop], at=now + timedelta(minutes=2))
    services.cancel_registration(first, now)
    assert (second.seats[0].status, third.seats[0].status) == ("offered", "waiting")
    # Before the limit nothing moves; after it, the offer passes to the next person.
    assert services.expire_offers(now + timedelta(hours=47)) == 0
    assert services.expire_offers(now + timedelta(hours=49)) == 1
    assert (second.seats[0].status, third.seats[0].status) == ("expired", "offered")
    assert services.expire_offers(now + timedelta(hours=98)) == 1
    assert third.seats[0].status == "expired"
    assert workshop.seats_taken == 0
    assert [m.to_email for m in outbox("participants/offer")] == [
        "p2@example.org",
        "p3@example.org",
    ]


def test_accept_offer_confirms_and_late_accept_refused(make_stop, register, now):
    stop = make_stop(capacity=1)
    workshop = workshops_of(stop)[0]
    first = register(stop, 1, [workshop])
    second = register(stop, 2, [workshop])
    third = register(stop, 3, [workshop])
    services.cancel_registration(first, now)
    services.accept_offer(second.seats[0], now + timedelta(hours=1))
    assert second.seats[0].status == "confirmed"
    services.cancel_registration(second, now + timedelta(hours=2))
    with pytest.raises(services.ParticipantError):
        services.accept_offer(third.seats[0], now + timedelta(hours=51))


def test_decline_offer_passes_to_next(make_stop, register, now):
    stop = make_stop(capacity=1)
    workshop = workshops_of(stop)[0]
    first = register(stop, 1, [workshop])
    second = register(stop, 2, [workshop], at=now + timedelta(minutes=1))
    third = register(stop, 3, [workshop], at=now + timedelta(minutes=2))
    services.cancel_registration(first, now)
    services.decline_offer(second.seats[0], now)
    assert (second.seats[0].status, third.seats[0].status) == ("declined", "offered")


def test_raising_capacity_offers_new_places(make_stop, register, now):
    stop = make_stop(capacity=1)
    workshop = workshops_of(stop)[0]
    register(stop, 1, [workshop])
    second = register(stop, 2, [workshop])
    services.set_capacity(workshop, 2, True, now)
    assert second.seats[0].status == "offered"
    assert workshop.seats_taken == 2


def test_agenda_rewrite_keeps_workshops_matched_by_title(stop, register, now):
    from coordination.stops.services import set_agenda

    register(stop, 1)
    items = [{"title": i.title, "starts_on": i.starts_on} for i in stop.agenda_items]
    items.append({"title": "Atelier formation"})
    set_agenda(stop, list(reversed(items)), None, now)
    db.session.flush()
    titles = [w.title for w in services.sync_workshops(stop)]
    assert titles == ["Atelier formation", "Atelier international", "Atelier innovation"]
    assert [w.seats_taken for w in workshops_of(stop)] == [0, 1, 1]


def test_reminder_two_days_before_once(stop, register, now):
    registration = register(stop, 1)
    before = stop.starts_at - timedelta(days=2, hours=1)
    assert services.send_reminders(before) == 0
    due = stop.starts_at - timedelta(days=1, hours=23)
    assert services.send_reminders(due) == 1
    services.send_reminders(due + timedelta(hours=1))
    [reminder] = outbox("participants/reminder")
    assert reminder.idempotency_key == (
        f"reminder:stop:{stop.id}:participant:{registration.id}:P2D:2027-09-15T09:00"
    )


def test_reminder_skips_cancelled(stop, register, now):
    registration = register(stop, 1)
    services.cancel_registration(registration, now)
    assert services.send_reminders(stop.starts_at - timedelta(days=1)) == 0


def _questionnaire(edition):
    questionnaire = services.get_or_create_questionnaire(edition)
    services.add_question(
        questionnaire,
        {"kind": "scale", "theme": "innovation", "label_fr": "Besoin en innovation"},
    )
    return questionnaire


def test_questionnaire_sent_once_day_after_to_present_only_with_one_reminder(
    stop, register, edition, now
):
    _questionnaire(edition)
    came = register(stop, 1)
    register(stop, 2)  # did not come
    services.set_checked_in(came, True, stop.starts_at)
    stop.status = StopStatus.HELD
    same_evening = stop.ends_at + timedelta(hours=2)
    assert services.send_questionnaires(same_evening) == 0
    next_morning = stop.ends_at + timedelta(hours=17)  # 10:00 the day after
    assert services.send_questionnaires(next_morning) == 1
    assert services.send_questionnaires(next_morning + timedelta(hours=1)) == 0
    assert came.questionnaire_sent_at == next_morning
    assert services.send_questionnaires(next_morning + timedelta(days=3)) == 1
    assert services.send_questionnaires(next_morning + timedelta(days=10)) == 0
    messages = outbox("participants/questionnaire")
    assert [m.to_email for m in messages] == ["p1@example.org", "p1@example.org"]
    assert messages[1].idempotency_key.endswith(":reminder")


def test_questionnaire_no_reminder_after_answer(stop, register, edition, now):
    questionnaire = _questionnaire(edition)
    came = register(stop, 1)
    services.set_checked_in(came, True, stop.starts_at)
    morning = stop.ends_at + timedelta(hours=17)
    services.send_questionnaires(morning)
    question = questionnaire.questions[0]
    services.submit_answers(came, questionnaire, {str(question.id): 4}, morning)
    assert services.send_questionnaires(morning + timedelta(days=4)) == 0
    with pytest.raises(services.ParticipantError):
        services.submit_answers(came, questionnaire, {}, morning)


def test_tokens_of_other_kind_or_tampered_refused(app):
    token = services.make_token("registration", 7)
    assert services.read_token("registration", token) == 7
    assert services.read_token("answer", token) is None
    assert services.read_token("registration", token + "x") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("25.62B", "C"), ("6201Z", "J"), ("01.11z", "A"), ("00.00A", None), ("nope", None)],
)
def test_naf_section_of_codes(value, expected):
    assert services.naf_section(services.normalise_naf(value)) == expected


def test_staff_moving_then_cancelling_a_stop_updates_then_cancels_participants(stop, register, now):
    from coordination.stops.services import cancel_stop, reschedule_stop

    staying = register(stop, 1)
    leaving = register(stop, 2)
    services.cancel_registration(leaving, now)
    reschedule_stop(
        stop, stop.starts_at + timedelta(days=2), stop.ends_at + timedelta(days=2), None, now
    )
    reschedule_stop(  # the same change announced twice sends nothing more
        stop, stop.starts_at, stop.ends_at, None, now
    )
    cancel_stop(stop, None, now)
    sent = outbox("participants/stop_changed")
    assert [(m.to_email, m.calendar_method) for m in sent] == [
        (staying.email, "REQUEST"),
        (staying.email, "CANCEL"),
    ]
    assert f"UID:{stop.uid}" in sent[0].calendar_ics


def test_a_new_place_tells_participants_a_new_description_does_not(stop, register, now):
    from coordination.stops.services import update_stop

    person = register(stop, 1)
    update_stop(stop, {"description": "Un programme précisé."}, None, now)
    assert outbox("participants/stop_changed") == []
    update_stop(stop, {"venue_name": "Amphithéâtre B", "venue_address": "3 rue Neuve"}, None, now)
    update_stop(stop, {"venue_name": "Amphithéâtre B"}, None, now)  # nothing new: no message
    sent = outbox("participants/stop_changed")
    assert [(m.to_email, m.calendar_method) for m in sent] == [(person.email, "REQUEST")]
    assert sent[0].subject.startswith("Nouveau lieu") or sent[0].subject.startswith("New place")
    assert "Amphithéâtre B, 3 rue Neuve" in sent[0].text_body
    assert "LOCATION:Amphithéâtre B" in sent[0].calendar_ics
