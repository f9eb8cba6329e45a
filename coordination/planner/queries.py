"""Reads of the planner screen."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from flask import url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from coordination.campaigns.models import Edition
from coordination.core.clock import to_local
from coordination.extensions import db
from coordination.planner.checks import RuleCheck, plan_km, rule_checks
from coordination.planner.models import PlannerLock, PlannerRun, RunStatus
from coordination.planner.recheck import PlannedStop
from coordination.planner.runs import is_stale
from coordination.stops.models import Stop, StopStatus
from coordination.stops.warnings import PlanWarnings, check_plan, edition_stops, rules_for


@dataclass
class CurrentPlan:
    stops: list[Stop]
    warnings: PlanWarnings
    locks: dict[int, PlannerLock]
    km: float
    checks: list[RuleCheck]
    rules: object


def current_plan(edition: Edition) -> CurrentPlan:
    """The edition's plan as it stands, with its warnings, locks, travel and rules (few
    queries whatever the number of stops)."""
    stops = [s for s in edition_stops(edition.id) if s.status != StopStatus.CANCELLED]
    rules = rules_for(edition.id)
    acknowledgements = [a for s in stops for a in s.acknowledgements]
    warnings = check_plan(stops, rules, acknowledgements)
    locks = {
        lock.stop_id: lock
        for lock in db.session.scalars(
            select(PlannerLock).join(Stop).where(Stop.edition_id == edition.id)
        )
    }
    return CurrentPlan(
        stops=stops,
        warnings=warnings,
        locks=locks,
        km=plan_km([PlannedStop.of(s) for s in stops]),
        checks=rule_checks(warnings, rules, {s.id: s.title for s in stops}),
        rules=rules,
    )


def weeks(days: dict[int, date], titles: dict[int, str]) -> list[tuple[date, list[tuple]]]:
    """A timeline by week: each Monday from the first to the last stop, with its stops."""
    if not days:
        return []
    first = min(days.values())
    last = max(days.values())
    monday = first - timedelta(days=first.weekday())
    timeline = []
    while monday <= last:
        sunday = monday + timedelta(days=6)
        inside = sorted((d, titles[k], k) for k, d in days.items() if monday <= d <= sunday)
        timeline.append((monday, inside))
        monday += timedelta(days=7)
    return timeline


def day_of(stop: Stop) -> date:
    """A stop's Paris day."""
    return to_local(stop.starts_at).date()


def _status_label(status: str) -> str:
    return {
        RunStatus.QUEUED: _("waiting for the worker"),
        RunStatus.RUNNING: _("computing"),
        RunStatus.DONE: _("done"),
        RunStatus.FAILED: _("failed"),
    }[status]


def run_status(run: PlannerRun, now: datetime) -> dict:
    """A run as the page and its polling read it: status, progress, best plan so far."""
    stale = is_stale(run, now)
    plan = run.best_plan or {}
    days = plan.get("days", {})
    titles = (
        dict(
            db.session.execute(
                select(Stop.id, Stop.title).where(Stop.id.in_([int(k) for k in days]))
            ).all()
        )
        if days
        else {}
    )
    ordered = sorted(days.items(), key=lambda item: (item[1], int(item[0])))
    return {
        "id": run.id,
        "status": run.status,
        "label": _("stopped: no news from the worker") if stale else _status_label(run.status),
        "progress": run.progress,
        "is_active": run.status in (RunStatus.QUEUED, RunStatus.RUNNING) and not stale,
        "is_stale": stale,
        "started": format_datetime(run.started_at, "HH:mm:ss") if run.started_at else None,
        "error": run.error,
        "best": {
            "placed": len(days),
            "unplaced": len(plan.get("unplaced", [])),
            "km": round(plan.get("km", 0)),
            "summary": _(
                "Best plan so far. Stops with a day: %(placed)s; without: %(unplaced)s; "
                "travel: %(km)s km.",
                placed=len(days),
                unplaced=len(plan.get("unplaced", [])),
                km=round(plan.get("km", 0)),
            ),
            "stops": [
                {
                    "id": int(key),
                    "title": titles.get(int(key), "?"),
                    "day": format_date(date.fromisoformat(day), "EEE d MMM"),
                }
                for key, day in ordered
            ],
        }
        if days
        else None,
        "url": url_for("planner.run_json", slug=run.edition.slug, run_id=run.id),
    }


def plan_map(stops: list[Stop], days: dict[int, date]):
    """The dashboard's map of France for a plan: its stops in date order (the route)."""
    from coordination.dashboard.figures import build_map

    rows = sorted(
        (
            SimpleNamespace(
                id=stop.id,
                title=stop.title,
                city=getattr(stop, "city", ""),
                territory_name="",
                status=stop.status,
                latitude=stop.latitude,
                longitude=stop.longitude,
                starts_at=datetime.combine(days[stop.id], time(12), tzinfo=UTC),
            )
            for stop in stops
            if stop.id in days
        ),
        key=lambda row: (row.starts_at, row.id),
    )
    return build_map(rows)
