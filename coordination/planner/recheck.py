"""Every plan is re-checked by the one warnings service before anyone sees it (pure).

The proposal is not written to the stops: each stop is copied with its proposed times and
the copies go through coordination.stops.warnings.check_plan, the function behind every
warning of the stops pages.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from coordination.core.clock import local_datetime, to_local
from coordination.stops.warnings import (
    AUGUST_BREAK,
    OUTSIDE_AVAILABILITY,
    PUBLIC_HOLIDAY,
    SAME_DAY,
    WEEK_LIMIT,
    WEEKEND,
    PlanWarnings,
    check_plan,
)

#: The rules a valid plan never breaks; the distance a day is a soft rule (a warning).
HARD_CODES = frozenset(
    {SAME_DAY, WEEKEND, PUBLIC_HOLIDAY, AUGUST_BREAK, OUTSIDE_AVAILABILITY, WEEK_LIMIT}
)


@dataclass(frozen=True)
class PlannedStop:
    """What check_plan reads of a stop, with its times as planned."""

    id: int
    title: str
    status: str
    starts_at: datetime
    ends_at: datetime
    availability: list
    commune_insee: str | None
    latitude: float | None
    longitude: float | None

    @classmethod
    def of(cls, stop) -> "PlannedStop":
        return cls(
            id=stop.id,
            title=stop.title,
            status=stop.status,
            starts_at=stop.starts_at,
            ends_at=stop.ends_at,
            availability=list(stop.availability or []),
            commune_insee=stop.commune_insee,
            latitude=stop.latitude,
            longitude=stop.longitude,
        )

    @property
    def day(self) -> date:
        return to_local(self.starts_at).date()

    def on(self, day: date) -> "PlannedStop":
        """The same stop moved to `day`, keeping its Paris wall-clock times (across DST)."""
        starts, ends = to_local(self.starts_at), to_local(self.ends_at)
        span = (ends.date() - starts.date()).days
        return replace(
            self,
            starts_at=local_datetime(day, starts.time()),
            ends_at=local_datetime(day + timedelta(days=span), ends.time()),
        )


def recheck(planned: list[PlannedStop], rules) -> PlanWarnings:
    """The warnings of a plan, from the one rule service."""
    return check_plan(planned, rules)


def hard_broken(warnings: PlanWarnings) -> dict[int, list]:
    """The stops breaking a hard rule, with those warnings."""
    found = {}
    for stop_id, items in warnings.by_stop.items():
        hard = [w for w in items if w.code in HARD_CODES]
        if hard:
            found[stop_id] = hard
    return found
