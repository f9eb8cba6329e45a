"""The needs questionnaire: its questions, sending it after the stop, and the answers."""

from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from coordination.core.clock import local_datetime, shift_local_days, to_local
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.services import queue_email
from coordination.participants.identifiers import ParticipantError, make_token
from coordination.participants.models import (
    NeedQuestion,
    NeedResponse,
    QuestionKind,
    Questionnaire,
    Registration,
)
from coordination.stops.models import Stop, StopStatus

#: The questionnaire's reminder, days after it was sent.
QUESTIONNAIRE_REMINDER_DAYS = 3
#: Stops whose questionnaire is still sent after this many days are left alone.
QUESTIONNAIRE_WINDOW_DAYS = 30


# --- Questionnaires ----------------------------------------------------------------------


def questionnaire_for(edition_id: int) -> Questionnaire | None:
    """An edition's questionnaire, if staff made one."""
    return db.session.scalar(select(Questionnaire).where(Questionnaire.edition_id == edition_id))


def get_or_create_questionnaire(edition) -> Questionnaire:
    """An edition's questionnaire, made empty on first use."""
    questionnaire = questionnaire_for(edition.id)
    if questionnaire is None:
        questionnaire = Questionnaire(edition_id=edition.id, edition=edition)
        db.session.add(questionnaire)
        db.session.flush()
    return questionnaire


def add_question(questionnaire: Questionnaire, fields: dict) -> NeedQuestion:
    """Add a question at the end of a questionnaire."""
    if fields["kind"] not in set(QuestionKind):
        raise ParticipantError(_("Unknown kind of question."))
    position = max((q.position for q in questionnaire.questions), default=-1) + 1
    question = NeedQuestion(position=position, **fields)
    questionnaire.questions.append(question)
    db.session.flush()
    return question


def remove_question(question: NeedQuestion) -> None:
    """Remove a question (answers already given keep their value, unread)."""
    db.session.delete(question)
    db.session.flush()


def _due_at(stop: Stop) -> datetime:
    # The day after the stop, at 9:00 Paris time.
    return local_datetime(to_local(stop.ends_at).date() + timedelta(days=1), time(9, 0))


def _questionnaire_email(registration, questionnaire, now, reminder: bool):
    suffix = ":reminder" if reminder else ""
    queue_email(
        key=f"participant:questionnaire:{questionnaire.id}:registration:{registration.id}{suffix}",
        template="participants/questionnaire",
        to_email=registration.email,
        to_name=registration.name,
        locale=registration.locale,
        context={
            "registration": registration,
            "stop": registration.stop,
            "is_reminder": reminder,
            "url": external_url("participants.answer", token=make_token("answer", registration.id)),
        },
        now=now,
    )


def send_questionnaires(now: datetime) -> int:
    """Send the questionnaire the day after the stop to who came, once; remind once."""
    window = now - timedelta(days=QUESTIONNAIRE_WINDOW_DAYS)
    rows = db.session.execute(
        select(Registration, Questionnaire)
        .join(Stop, Stop.id == Registration.stop_id)
        .join(Questionnaire, Questionnaire.edition_id == Stop.edition_id)
        .outerjoin(NeedResponse, NeedResponse.registration_id == Registration.id)
        .options(selectinload(Registration.stop))
        .where(
            Questionnaire.is_active.is_(True),
            Stop.status.in_((StopStatus.CONFIRMED, StopStatus.HELD)),
            Stop.ends_at > window,
            Stop.ends_at <= now,
            Registration.cancelled_at.is_(None),
            # Blanked people (erased, or past retention) are not asked.
            Registration.anonymised_at.is_(None),
            Registration.checked_in_at.is_not(None),
            NeedResponse.id.is_(None),
            or_(
                Registration.questionnaire_sent_at.is_(None),
                and_(
                    Registration.questionnaire_reminded_at.is_(None),
                    # A day's margin (daylight saving); the exact rule is below.
                    Registration.questionnaire_sent_at
                    <= now - timedelta(days=QUESTIONNAIRE_REMINDER_DAYS - 1),
                ),
            ),
        )
        .order_by(Registration.id)
    ).all()
    sent = 0
    for registration, questionnaire in rows:
        if _due_at(registration.stop) > now:
            continue
        if registration.questionnaire_sent_at is None:
            _questionnaire_email(registration, questionnaire, now, reminder=False)
            registration.questionnaire_sent_at = now
        elif (
            shift_local_days(registration.questionnaire_sent_at, QUESTIONNAIRE_REMINDER_DAYS) > now
        ):
            continue
        else:
            _questionnaire_email(registration, questionnaire, now, reminder=True)
            registration.questionnaire_reminded_at = now
        sent += 1
    db.session.flush()
    return sent


def response_of(registration: Registration) -> NeedResponse | None:
    """The registration's answers, if given."""
    return db.session.scalar(
        select(NeedResponse).where(NeedResponse.registration_id == registration.id)
    )


def submit_answers(
    registration: Registration, questionnaire: Questionnaire, answers: dict, now: datetime
) -> NeedResponse:
    """Record a participant's answers (once: a second submission is refused)."""
    if registration.checked_in_at is None or registration.cancelled_at is not None:
        raise ParticipantError(_("Only participants who came can answer."))
    if response_of(registration) is not None:
        raise ParticipantError(_("You have already answered. Thank you!"))
    response = NeedResponse(
        registration_id=registration.id,
        questionnaire_id=questionnaire.id,
        answers=answers,
        submitted_at=now,
    )
    db.session.add(response)
    db.session.flush()
    return response
