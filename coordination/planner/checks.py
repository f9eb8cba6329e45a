"""The edition's rules in words, met or broken by a plan, and a plan's travel."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from coordination.planner.recheck import PlannedStop
from coordination.stops.models import StopRules, StopStatus
from coordination.stops.warnings import (
    AUGUST_BREAK,
    OUTSIDE_AVAILABILITY,
    PUBLIC_HOLIDAY,
    SAME_DAY,
    TOO_FAR,
    WEEK_LIMIT,
    WEEKEND,
    PlanWarnings,
    distance_km,
)


@dataclass
class RuleCheck:
    label: str
    is_hard: bool
    #: Titles of the stops breaking it (empty: met).
    breaking: list[str] = field(default_factory=list)

    @property
    def is_met(self) -> bool:
        return not self.breaking


def plan_km(planned: list[PlannedStop]) -> float:
    """Travel between consecutive located stops, in date order (as the warnings read it)."""
    located = sorted(
        (p for p in planned if p.status != StopStatus.CANCELLED and p.latitude is not None),
        key=lambda p: (p.starts_at, p.id),
    )
    return round(
        sum(
            distance_km((a.latitude, a.longitude), (b.latitude, b.longitude))
            for a, b in zip(located, located[1:], strict=False)
        ),
        1,
    )


def rule_checks(
    warnings: PlanWarnings, rules: StopRules, titles: dict[int, str], unplaced=()
) -> list[RuleCheck]:
    """Every rule of the edition, met or broken (with the stops breaking it), in words."""

    def breaking(code: str) -> list[str]:
        return sorted(
            titles[stop_id]
            for stop_id, items in warnings.by_stop.items()
            if any(w.code == code for w in items)
        )

    checks = [
        RuleCheck(_("Every stop has a day"), True, sorted(titles[i] for i in unplaced)),
        RuleCheck(
            _("Every stop inside its territory's windows"), True, breaking(OUTSIDE_AVAILABILITY)
        ),
        RuleCheck(
            _("At most %(limit)s stops a week", limit=rules.max_stops_per_week),
            True,
            breaking(WEEK_LIMIT),
        ),
        RuleCheck(_("No stop on a weekend"), True, breaking(WEEKEND)),
        RuleCheck(_("No stop on a public holiday"), True, breaking(PUBLIC_HOLIDAY)),
    ]
    if not rules.is_parallel_allowed:
        checks.append(RuleCheck(_("At most one stop a day"), True, breaking(SAME_DAY)))
    if rules.is_august_break:
        checks.append(RuleCheck(_("No stop in the August break"), True, breaking(AUGUST_BREAK)))
    checks.append(
        RuleCheck(
            _("At most %(km)s km a day between stops", km=rules.max_km_per_day),
            False,
            breaking(TOO_FAR),
        )
    )
    return checks
