"""The needs questionnaire: its questions and the answers (sending it after the stop:
questionnaire_plan.py)."""

from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from coordination.core.clock import local_datetime, to_local
from coordination.extensions import db
from coordination.participants.identifiers import ParticipantError
from coordination.participants.models import (
    NeedQuestion,
    NeedResponse,
    QuestionKind,
    Questionnaire,
    Registration,
)
from coordination.stops.models import Stop

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
