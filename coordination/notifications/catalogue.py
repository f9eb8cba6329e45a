"""The messages staff may reword: their variables, their edition, a real example each.

One entry per file template (`templates/emails/<kind>.txt`). Each names the variables a
staff-written wording may use, how to read them from the context the sending code
already builds (so the jobs do not change), which edition the message belongs to, and
how to build a real example of the edition for the preview.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordination.core.formatting import local_date, local_datetime
from coordination.core.urls import external_url
from coordination.extensions import db


@dataclass(frozen=True)
class MessageKind:
    kind: str
    label: object
    #: {name: description} of the variables the wording may use.
    variables: dict
    values: Callable[[dict], dict]
    #: The edition id a context belongs to (None: shared by every edition).
    edition_of: Callable[[dict], int | None]
    #: A real context from an edition, for the preview (None if the edition has none).
    example: Callable[[object], dict | None]
    shared: bool = False


def _greeting(name: str) -> str:
    return _("Hello %(name)s,", name=name) if name else _("Hello,")


def _place(stop) -> str:
    return ", ".join(p for p in (stop.venue_name, stop.venue_address, stop.city) if p)


def _when(start, end) -> str:
    return _(
        "%(start)s to %(end)s (Paris time)",
        start=local_datetime(start, "long"),
        end=local_datetime(end, "short"),
    )


def _person(name: str) -> dict:
    return {"greeting": _greeting(name), "name": name}


COMMON = {
    "greeting": _l("“Hello Name,” (or “Hello,” without a name)"),
    "name": _l("the recipient's name"),
}
STOP = {
    "stop": _l("the stop's title"),
    "date": _l("the stop's day"),
    "when": _l("the stop's start and end, Paris time"),
    "where": _l("the venue, its address and the town"),
    "url": _l("the link of the message"),
}


def _stop_values(stop, url: str) -> dict:
    return {
        "stop": stop.title,
        "date": local_date(stop.starts_at, "long"),
        "when": _when(stop.starts_at, stop.ends_at),
        "where": _place(stop),
        "url": url,
    }


def _seats(registration) -> str:
    return "\n".join(f"- {s.workshop.title}: {s.status_label}" for s in registration.seats)


# --- Decisions ------------------------------------------------------------------------


def _decision_values(context: dict) -> dict:
    application = context["application"]
    return {
        **_person(context["user"].name),
        "territory": application.territory.name if application.territory else "",
        "call": application.call.title,
        "url": context["url"],
        "personal_note": context.get("personal_note") or "",
    }


def _decision_example(decision: str):
    def example(edition) -> dict | None:
        from coordination.campaigns.decisions import decision_context
        from coordination.campaigns.models import Application, Call

        applications = db.session.scalars(
            select(Application)
            .join(Call)
            .where(Call.edition_id == edition.id)
            .order_by(Application.decision != decision, Application.id)
        )
        for application in applications:
            if application.members:
                return decision_context(application, application.members[0])
        return None

    return example


DECISION = {
    **COMMON,
    "territory": _l("the applying territory"),
    "call": _l("the call's title"),
    "url": _l("the link to the application"),
    "personal_note": _l("staff's personal note to this applicant (added at the end if unused)"),
}


def _application_edition(context: dict) -> int:
    return context["application"].call.edition_id


# --- Stops ----------------------------------------------------------------------------


def _first_stop(edition):
    from coordination.stops.models import Stop

    return db.session.scalar(
        select(Stop).where(Stop.edition_id == edition.id).order_by(Stop.starts_at, Stop.id)
    )


def _stop_user(stop):
    from coordination.calendar.queries import stop_recipients_by_email

    users = stop_recipients_by_email(stop)
    return users[0] if users else None


def _invitation_edition(context: dict) -> int | None:
    from coordination.stops.models import Stop

    return db.session.scalar(select(Stop.edition_id).where(Stop.uid == context["event"].uid))


def _invitation_values(context: dict) -> dict:
    event, replies = context["event"], context["reply_urls"]
    return {
        **_person(context["user"].name),
        "event": event.summary,
        "when": _when(event.starts_at, event.ends_at),
        "where": event.location or "",
        "url": event.url or "",
        "yes_url": replies["accepted"],
        "maybe_url": replies["tentative"],
        "no_url": replies["declined"],
    }


def _invitation_context(user, event) -> dict:
    from coordination.calendar.services import ANSWERS, reply_token

    token = reply_token(event.uid, user.id)
    urls = {a: external_url("calendar.reply", token=token, answer=a) for a in ANSWERS}
    return {"user": user, "event": event, "is_update": False, "reply_urls": urls}


def _invitation_example(edition) -> dict | None:
    from coordination.calendar.events import stop_event

    stop = _first_stop(edition)
    user = stop and _stop_user(stop)
    return None if user is None else _invitation_context(user, stop_event(stop))


def _meeting_invitation_example(edition) -> dict | None:
    from coordination.calendar.events import meeting_event
    from coordination.calendar.queries import meeting_recipients
    from coordination.clubs.models import ClubMeeting

    meeting = db.session.scalar(select(ClubMeeting).order_by(ClubMeeting.starts_at.desc()))
    users = meeting_recipients(meeting) if meeting is not None else []
    return _invitation_context(users[0], meeting_event(meeting)) if users else None


def _reminder_values(context: dict) -> dict:
    return {
        **_person(context["user"].name),
        **_stop_values(context["stop"], context["url"]),
        "days_left": str(context["days_left"]),
    }


def _reminder_example(edition) -> dict | None:
    stop = _first_stop(edition)
    user = stop and _stop_user(stop)
    if user is None:
        return None
    return {
        "user": user,
        "stop": stop,
        "days_left": 7,
        "url": external_url("stops.stop_page", stop_id=stop.id),
    }


# --- Participants ---------------------------------------------------------------------


def _registration_values(context: dict) -> dict:
    registration = context["registration"]
    values = {**_person(registration.name), **_stop_values(context["stop"], context["url"])}
    values["workshops"] = _seats(registration)
    if "days_left" in context:
        values["days_left"] = str(context["days_left"])
    return values


def _registration_example(kind: str):
    def example(edition) -> dict | None:
        from coordination.participants.identifiers import make_token
        from coordination.participants.models import Registration
        from coordination.participants.services import manage_url
        from coordination.stops.models import Stop

        registration = db.session.scalar(
            select(Registration)
            .join(Stop)
            .where(Stop.edition_id == edition.id)
            .order_by(Stop.starts_at, Registration.id)
        )
        if registration is None:
            return None
        context = {"registration": registration, "stop": registration.stop}
        if kind == "questionnaire":
            token = make_token("answer", registration.id)
            context.update(is_reminder=False, url=external_url("participants.answer", token=token))
        else:
            context["url"] = manage_url(registration)
        if kind == "reminder":
            context["days_left"] = 2
        return context

    return example


def _stop_edition(context: dict) -> int:
    return context["stop"].edition_id


# --- Clubs ----------------------------------------------------------------------------


def _welcome_values(context: dict) -> dict:
    return {
        **_person(context["user"].name),
        "organisation": context["organisation"].name,
        "club": context["club"].name,
        "club_url": context["club_url"],
        "partner_url": context["partner_url"],
        "sign_in_url": context["sign_in_url"],
    }


def _welcome_example(edition) -> dict | None:
    from coordination.clubs.models import Membership
    from coordination.clubs.services import welcome_links

    membership = db.session.scalar(
        select(Membership)
        .where(Membership.requested_by_id.is_not(None))
        .order_by(Membership.status != "approved", Membership.id)
    )
    if membership is None:
        return None
    return {
        "user": membership.requested_by,
        "membership": membership,
        "club": membership.club,
        "organisation": membership.organisation,
        **welcome_links(membership),
    }


def _no_edition(context: dict) -> None:
    return None


WORKSHOPS = {"workshops": _l("the person's workshops and their places, one a line")}
INVITATION = {
    **COMMON,
    "event": _l("the event's title"),
    "when": _l("the event's start and end, Paris time"),
    "where": _l("the venue, its address and the town"),
    "yes_url": _l("the link to answer “I will come”"),
    "maybe_url": _l("the link to answer “I may come”"),
    "no_url": _l("the link to answer “I will not come”"),
}
DAYS_LEFT = {"days_left": _l("the number of days before the stop")}

KINDS: dict[str, MessageKind] = {
    k.kind: k
    for k in (
        MessageKind(
            "campaigns/decision_accepted",
            _l("Decision: accepted"),
            DECISION,
            _decision_values,
            _application_edition,
            _decision_example("accepted"),
        ),
        MessageKind(
            "campaigns/decision_waitlisted",
            _l("Decision: waiting list"),
            DECISION,
            _decision_values,
            _application_edition,
            _decision_example("waitlisted"),
        ),
        MessageKind(
            "campaigns/decision_rejected",
            _l("Decision: not selected"),
            DECISION,
            _decision_values,
            _application_edition,
            _decision_example("rejected"),
        ),
        MessageKind(
            "calendar/invitation",
            _l("Invitation to a stop"),
            {**INVITATION, "url": _l("the stop's page")},
            _invitation_values,
            _invitation_edition,
            _invitation_example,
        ),
        MessageKind(
            "clubs/meeting_invitation",
            _l("Invitation to a club meeting"),
            {**INVITATION, "url": _l("the club's page")},
            _invitation_values,
            _no_edition,
            _meeting_invitation_example,
            shared=True,
        ),
        MessageKind(
            "calendar/reminder",
            _l("Stop reminder (hosts and partners)"),
            {**COMMON, **STOP, **DAYS_LEFT},
            _reminder_values,
            _stop_edition,
            _reminder_example,
        ),
        MessageKind(
            "participants/confirmation",
            _l("Participant's confirmation"),
            {**COMMON, **STOP, **WORKSHOPS},
            _registration_values,
            _stop_edition,
            _registration_example("confirmation"),
        ),
        MessageKind(
            "participants/reminder",
            _l("Participant's reminder"),
            {**COMMON, **STOP, **WORKSHOPS, **DAYS_LEFT},
            _registration_values,
            _stop_edition,
            _registration_example("reminder"),
        ),
        MessageKind(
            "participants/questionnaire",
            _l("Needs questionnaire"),
            {**COMMON, **STOP},
            _registration_values,
            _stop_edition,
            _registration_example("questionnaire"),
        ),
        MessageKind(
            "clubs/membership_approved",
            _l("Club welcome"),
            {
                **COMMON,
                "organisation": _l("the member organisation"),
                "club": _l("the club's name"),
                "club_url": _l("the club's page"),
                "partner_url": _l("the partner space"),
                "sign_in_url": _l("the sign-in page"),
            },
            _welcome_values,
            _no_edition,
            _welcome_example,
            shared=True,
        ),
    )
}
