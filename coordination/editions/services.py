"""Staff manage editions: create, edit, archive, and prepare the next from the rules of one."""

from datetime import date, datetime, timedelta

from coordination.calendar.models import ReminderRule
from coordination.campaigns.models import (
    Call,
    CallCriterion,
    CallQuestion,
    Edition,
    EditionStatus,
)
from coordination.core.clock import local_datetime, to_local
from coordination.extensions import db
from coordination.notifications.overrides import copy_wordings
from coordination.participants.models import NeedQuestion, Questionnaire
from coordination.stops.models import StopRules

#: Columns of a question (calls' and questionnaires' alike) that a copy takes.
QUESTION_FIELDS = ("position", "kind", "label_fr", "label_en", "choices_text", "is_required")


def save_edition(edition: Edition | None, *, is_public: bool, **fields) -> Edition:
    """Create (edition None) or update an edition from staff input (already validated)."""
    if edition is None:
        edition = Edition(status=EditionStatus.DRAFT)
        db.session.add(edition)
    for name, value in fields.items():
        setattr(edition, name, value)
    if edition.status != EditionStatus.CLOSED:
        # An archived edition stays archived until staff bring it back.
        edition.status = EditionStatus.PLANNED if is_public else EditionStatus.DRAFT
    db.session.flush()
    return edition


def set_archived(edition: Edition, is_archived: bool) -> None:
    """Archive an edition (out of the public list, kept readable) or bring it back, public."""
    edition.status = EditionStatus.CLOSED if is_archived else EditionStatus.PLANNED
    db.session.flush()


def _shift(value: datetime, days: timedelta) -> datetime:
    """The same Paris wall-clock time, `days` later (across daylight-saving changes)."""
    local = to_local(value)
    return local_datetime(local.date() + days, local.time().replace(tzinfo=None))


def prepare_next(
    source: Edition, *, starts_on: date, ends_on: date, is_public: bool = False, **fields
) -> Edition:
    """A new draft edition with the rules of `source`, dates shifted to the new ones.

    Copied: planning rules, reminder lead times, the needs questionnaire and its
    questions, each call as a template (questions, active criteria, dates shifted), and
    staff's wording of the messages.
    Not copied: applications, reviews, reviewers, stops, registrations, people.
    """
    status = EditionStatus.PLANNED if is_public else EditionStatus.DRAFT
    edition = Edition(status=status, starts_on=starts_on, ends_on=ends_on, **fields)
    db.session.add(edition)
    db.session.flush()
    days = starts_on - source.starts_on

    rules = db.session.scalar(db.select(StopRules).where(StopRules.edition_id == source.id))
    if rules is not None:
        db.session.add(
            StopRules(
                edition_id=edition.id,
                max_stops_per_week=rules.max_stops_per_week,
                max_km_per_day=rules.max_km_per_day,
                is_august_break=rules.is_august_break,
                is_parallel_allowed=rules.is_parallel_allowed,
            )
        )
    for reminder in db.session.scalars(
        db.select(ReminderRule).where(ReminderRule.edition_id == source.id)
    ):
        db.session.add(
            ReminderRule(
                edition_id=edition.id,
                audience=reminder.audience,
                days_before=reminder.days_before,
            )
        )
    questionnaire = db.session.scalar(
        db.select(Questionnaire).where(Questionnaire.edition_id == source.id)
    )
    if questionnaire is not None:
        db.session.add(
            Questionnaire(
                edition=edition,
                intro=questionnaire.intro,
                is_active=questionnaire.is_active,
                questions=[
                    NeedQuestion(theme=q.theme, **{f: getattr(q, f) for f in QUESTION_FIELDS})
                    for q in questionnaire.questions
                ],
            )
        )
    for call in source.calls:
        edition.calls.append(_call_template(call, days, source.starts_on.year, starts_on.year))
    db.session.flush()
    copy_wordings(source.id, edition.id)
    return edition


def _call_template(call: Call, days: timedelta, old_year: int, new_year: int) -> Call:
    """A copy of a call's settings, questions and active criteria, dates shifted."""
    return Call(
        # "Appel 2019" becomes "Appel 2020"; any other title is kept as is.
        title=call.title.replace(str(old_year), str(new_year)),
        description=call.description,
        opens_at=_shift(call.opens_at, days),
        closes_at=_shift(call.closes_at, days),
        is_industry_only=call.is_industry_only,
        is_same_region_review_excluded=call.is_same_region_review_excluded,
        reviews_per_application=call.reviews_per_application,
        questions=[
            CallQuestion(**{f: getattr(q, f) for f in QUESTION_FIELDS}) for q in call.questions
        ],
        criteria=[
            CallCriterion(label_fr=c.label_fr, label_en=c.label_en, position=c.position)
            for c in call.active_criteria
        ],
    )
