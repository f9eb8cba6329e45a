"""Staff digests on the agenda of messages: planned by `digests.due_digests`, the rule the
digest job asks, and staff-wide (the same lines on every edition's agenda)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from coordination.auth.models import DigestFrequency
from coordination.notifications.agenda import (
    PlannedMessage,
    Recipient,
    SentMessage,
    register_planner,
    sent_between,
)
from coordination.notifications.digests import (
    KEY_PREFIX,
    PERIODS,
    build_sections,
    digest_key,
    due_digests,
)

KIND = "digest"
AUDIENCE = "staff"
TEMPLATE = "notifications/digest"
LABELS = {
    DigestFrequency.DAILY: _l("Daily digest (sent only if there is something to report)"),
    DigestFrequency.WEEKLY: _l("Weekly digest (sent only if there is something to report)"),
}


def plan_digests(edition_ids, start, end, now) -> list[PlannedMessage]:
    """The staff digests planned in (start, end], one line per slot and frequency (agenda
    planner; read only; staff-wide, whatever the editions)."""
    by_slot: dict[tuple[str, datetime], list] = {}
    for due in due_digests(start or now, end):
        by_slot.setdefault((due.user.digest_frequency, due.slot), []).append(due)
    # The preview shows the digest as it would read today: one build per frequency.
    built: dict[str, list] = {}

    def sections(frequency: str) -> list:
        if frequency not in built:
            built[frequency] = build_sections(now - PERIODS[DigestFrequency(frequency)], now)
        return built[frequency]

    items = []
    for (frequency, slot), rows in sorted(by_slot.items(), key=lambda pair: pair[0][1]):
        users = {digest_key(row.user, slot): row for row in rows}

        def context(recipient, at, users=users, frequency=frequency):
            row = users[recipient.key]
            return {
                "user": row.user,
                "sections": sections(frequency),
                "period_start": row.period_start,
                "period_end": at,
            }

        items.append(
            PlannedMessage(
                kind=KIND,
                audience=AUDIENCE,
                planned_at=slot,
                edition_id=None,
                stop_id=None,
                item=f"{AUDIENCE}:{frequency}",
                template=TEMPLATE,
                label=LABELS[DigestFrequency(frequency)],
                recipients=[
                    Recipient(
                        email=row.user.email,
                        name=row.user.name or "",
                        locale=row.user.locale,
                        key=key,
                        user_id=row.user.id,
                    )
                    for key, row in users.items()
                ],
                context=context,
            )
        )
    return items


def sent_digests(edition_ids, since, until) -> list[SentMessage]:
    """The staff digests queued in (since, until] (staff-wide, whatever the editions)."""
    rows = []
    for message, parts in sent_between(KEY_PREFIX, since, until):
        # digest:<frequency>:user:<user>:<slot>
        if len(parts) < 4 or parts[1] not in PERIODS:
            continue
        label = LABELS[DigestFrequency(parts[1])]
        rows.append(SentMessage(KIND, AUDIENCE, None, f"{AUDIENCE}:{parts[1]}", label, message))
    return rows


def register_planners() -> None:
    """Declare the staff digests to the agenda of messages."""
    register_planner(
        KIND,
        _l("Staff digests"),
        plan_digests,
        sent_digests,
        {AUDIENCE: _l("Staff who chose a digest")},
        staff_wide=True,
    )
