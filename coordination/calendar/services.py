"""Private feed tokens, feed rendering, invitations and replies."""

import base64
import hashlib
import hmac
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coordination.auth.models import Role, User
from coordination.auth.services import ensure_user
from coordination.calendar import queries
from coordination.calendar.feeds import FeedContent
from coordination.calendar.ics import CalendarEvent, Person, build_invitation
from coordination.calendar.models import FeedToken, InvitationReply
from coordination.clubs.models import ClubMeeting
from coordination.core.urls import external_url
from coordination.extensions import db
from coordination.notifications.services import queue_email_to
from coordination.stops.models import Stop
from coordination.stops.queries import PUBLIC_STOP

PERSONAL = "personal"
ANSWERS = ("accepted", "tentative", "declined")


# --- Private feed tokens -----------------------------------------------------------------


def club_scope(club_id: int) -> str:
    """The token scope of a club's feed."""
    return f"club:{club_id}"


def feed_secret(user_id: int, scope: str, version: int) -> str:
    """The URL secret of a feed token: derived, so it can be shown again; never stored."""
    key = current_app.config["SECRET_KEY"].encode()
    mac = hmac.new(key, f"feed:{user_id}:{scope}:{version}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _latest_token(user: User, scope: str) -> FeedToken | None:
    return db.session.scalar(
        select(FeedToken)
        .where(FeedToken.user_id == user.id, FeedToken.scope == scope)
        .order_by(FeedToken.version.desc())
        .limit(1)
    )


def _new_token(user: User, scope: str, version: int, now: datetime) -> FeedToken:
    token = FeedToken(
        user_id=user.id,
        scope=scope,
        version=version,
        token_hash=_hash(feed_secret(user.id, scope, version)),
        created_at=now,
    )
    db.session.add(token)
    db.session.flush()
    return token


def active_feed_token(user: User, scope: str, now: datetime) -> FeedToken | None:
    """The user's live token for a scope, created on first use; None once revoked."""
    token = _latest_token(user, scope)
    if token is None:
        return _new_token(user, scope, 1, now)
    return None if token.revoked_at else token


def active_feed_tokens(user: User, scopes: list[str], now: datetime) -> dict:
    """active_feed_token for several scopes of one user, read in one query."""
    latest: dict[str, FeedToken] = {}
    for token in db.session.scalars(
        select(FeedToken).where(FeedToken.user_id == user.id).order_by(FeedToken.version)
    ):
        latest[token.scope] = token
    return {
        scope: (
            _new_token(user, scope, 1, now)
            if scope not in latest
            else (None if latest[scope].revoked_at else latest[scope])
        )
        for scope in scopes
    }


def user_scopes(user: User) -> list[tuple[str, object]]:
    """The feeds a user may have: (scope, club or None), the personal one first."""
    return [(PERSONAL, None)] + [(club_scope(c.id), c) for c in queries.clubs_of(user)]


def renew_feed_token(user: User, scope: str, now: datetime) -> FeedToken:
    """Revoke the current URL of a feed and make a new one."""
    token = _latest_token(user, scope)
    if token is not None and token.revoked_at is None:
        token.revoked_at = now
    return _new_token(user, scope, (token.version + 1) if token else 1, now)


def revoke_feed_token(user: User, scope: str, now: datetime) -> None:
    """Make the current URL of a feed stop working, with no replacement."""
    token = _latest_token(user, scope)
    if token is not None and token.revoked_at is None:
        token.revoked_at = now


def feed_url(token: FeedToken) -> str:
    """The https address of a private feed."""
    secret = feed_secret(token.user_id, token.scope, token.version)
    return external_url("calendar.private_feed", secret=secret)


def webcal(url: str) -> str:
    """The webcal:// form of a feed address (calendar applications open it to subscribe)."""
    return "webcal://" + url.split("://", 1)[1]


def user_feeds(user: User, now: datetime) -> list[dict]:
    """The user's feeds, made on first ask (the caller commits): scope, title, club, url."""
    scopes = user_scopes(user)
    tokens = active_feed_tokens(user, [scope for scope, _club in scopes], now)
    feeds = []
    for scope, club in scopes:
        url = feed_url(tokens[scope]) if tokens[scope] else None
        feeds.append(
            {
                "scope": scope,
                "title": club.name if club else _("My calendar"),
                "club": club,
                "url": url,
                "webcal": webcal(url) if url else None,
            }
        )
    return feeds


def resolve_feed_secret(secret: str) -> FeedToken | None:
    """The live token behind a URL secret, else None (unknown or revoked)."""
    token = db.session.scalar(select(FeedToken).where(FeedToken.token_hash == _hash(secret)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    return token


# --- Feeds -------------------------------------------------------------------------------


def _timezone() -> str:
    return current_app.config["TIMEZONE"]


def private_feed_content(token: FeedToken) -> FeedContent | None:
    """What a private token opens: the owner's personal feed or a club's; None if closed."""
    user = token.user
    if token.scope == PERSONAL:
        meetings, stops, keep, decided_by = queries.personal_content_conditions(user)
        return FeedContent(
            name=f"InnovENT-E — {user.display_name}",
            meeting_conditions=meetings,
            stop_conditions=stops,
            keep_stop=keep,
            # Their name, roles, clubs and applications shape the feed.
            versions=(user.updated_at, tuple(sorted(user.roles)), decided_by),
        )
    if token.scope.startswith("club:"):
        club_id = int(token.scope.split(":", 1)[1])
        club = next((c for c in queries.clubs_of(user) if c.id == club_id), None)
        if club is None:  # no longer a member: the feed closes
            return None
        return FeedContent(
            name=f"InnovENT-E — {club.name}",
            meeting_conditions=[ClubMeeting.club_id == club.id],
            stop_conditions=queries.club_stop_conditions(club.id),
            versions=(club.updated_at,),
        )
    return None


def edition_feed_content(edition) -> FeedContent:
    """The public feed of an edition's stops (an open programme's events among them)."""
    from coordination.programmes.public_queries import programme_version

    return FeedContent(
        name=edition.name,
        stop_conditions=[Stop.edition_id == edition.id, PUBLIC_STOP],
        versions=(edition.updated_at, programme_version(edition.id)),
    )


def city_feed_content(edition, commune, name: str) -> FeedContent:
    """The public feed of an edition's stops in one commune (a programme's city feed)."""
    from coordination.programmes.public_queries import programme_version

    in_city = Stop.commune_insee == commune.insee_code
    return FeedContent(
        name=name,
        stop_conditions=[Stop.edition_id == edition.id, in_city, PUBLIC_STOP],
        versions=(edition.updated_at, programme_version(edition.id, [in_city])),
    )


def territory_feed_content(territory, name: str) -> FeedContent:
    """The public feed of a territory's stops."""
    return FeedContent(
        name=name,
        stop_conditions=[Stop.territory_id == territory.id, PUBLIC_STOP],
        versions=(territory.updated_at,),
    )


def host_accounts(stop) -> list[User]:
    """The accounts of a stop's hosts, made (territory contact role) for those without one."""
    return [
        ensure_user(contact["email"], Role.TERRITORY_CONTACT, contact.get("name") or "")
        for contact in stop.host_contacts or []
        if (contact.get("email") or "").strip()
    ]


# --- Invitations and replies -------------------------------------------------------------


def _reply_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="invitation-reply")


def reply_token(event_uid: str, user_id: int) -> str:
    """A signed token that lets one person answer one invitation without signing in."""
    return _reply_serializer().dumps({"uid": event_uid, "user": user_id})


def read_reply_token(token: str) -> tuple[str, int] | None:
    """(event uid, user id) from a reply token, or None if it was tampered with."""
    try:
        data = _reply_serializer().loads(token)
        return str(data["uid"]), int(data["user"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def record_reply(event_uid: str, user: User, answer: str, now: datetime) -> InvitationReply:
    """Record (or change) a person's answer to an invitation."""
    if answer not in ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    reply = db.session.scalar(
        select(InvitationReply).where(
            InvitationReply.event_uid == event_uid, InvitationReply.user_id == user.id
        )
    )
    if reply is None:
        reply = InvitationReply(event_uid=event_uid, user_id=user.id)
        db.session.add(reply)
    reply.answer = answer
    reply.answered_at = now
    db.session.flush()
    return reply


def replies_for(event_uid: str) -> list[InvitationReply]:
    """Everyone's answer to one event, by name."""
    return list(
        db.session.scalars(
            select(InvitationReply)
            .options(joinedload(InvitationReply.user))
            .where(InvitationReply.event_uid == event_uid)
            .order_by(InvitationReply.answered_at)
        )
    )


def _organizer() -> Person:
    config = current_app.config
    return Person(config["MAIL_FROM_NAME"], config["MAIL_FROM"])


def _invitation_key(event: CalendarEvent, user: User) -> str:
    return f"invite:{event.uid}:user:{user.id}:seq:{event.sequence}"


def _invited_user_ids(event: CalendarEvent) -> set[int]:
    """Who was ever sent this event (any sequence), from the outbox keys, in one query."""
    from coordination.notifications.models import OutboxMessage

    prefix = f"invite:{event.uid}:user:"
    keys = db.session.scalars(
        select(OutboxMessage.idempotency_key).where(
            OutboxMessage.idempotency_key.startswith(prefix, autoescape=True)
        )
    )
    return {int(key[len(prefix) :].split(":", 1)[0]) for key in keys}


def send_invitations(
    event: CalendarEvent,
    recipients: list[User],
    now: datetime,
    reply_to: str | None = None,
    template: str = "calendar/invitation",
) -> int:
    """Queue one invitation (REQUEST, from `template`) or cancellation (CANCEL) per person;
    once per sequence."""
    cancelled = event.status == "CANCELLED"
    if event.status == "TENTATIVE" or event.ends_at <= now:
        return 0  # only confirmed, coming events are sent; feeds show the rest
    invited = _invited_user_ids(event)
    count = 0
    for user in dict.fromkeys(recipients):
        is_update = user.id in invited
        if not user.is_active or (cancelled and not is_update):
            continue
        method = "CANCEL" if cancelled else "REQUEST"
        ics = build_invitation(
            event, _organizer(), Person(user.name or "", user.email), method, _timezone()
        )
        token = reply_token(event.uid, user.id)
        queue_email_to(
            user,
            key=_invitation_key(event, user),
            template="calendar/cancellation" if cancelled else template,
            reply_to=reply_to,
            calendar_method=method,
            calendar_ics=ics,
            context={
                "user": user,
                "event": event,
                "is_update": is_update,
                "reply_urls": {
                    answer: external_url("calendar.reply", token=token, answer=answer)
                    for answer in ANSWERS
                },
            },
            now=now,
        )
        count += 1
    return count
