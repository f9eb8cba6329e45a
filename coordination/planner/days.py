"""Which days a stop may take: its windows, minus what the rules forbid (pure).

Weekends, public holidays and the August break are read exactly as the warnings service
reads them (coordination.stops.warnings), so a day offered here never earns a warning.
"""

from datetime import date, timedelta

from coordination.stops.warnings import AUGUST_BREAK, PUBLIC_HOLIDAY, WEEKEND, public_holiday

#: A day outside the edition's first and last day.
OUTSIDE_EDITION = "outside_edition"


def departement_of(insee_code: str | None) -> str | None:
    """The département of a commune's INSEE code ("57463" → "57", "97411" → "974")."""
    if not insee_code:
        return None
    return insee_code[:3] if insee_code.startswith("97") else insee_code[:2]


def parse_windows(windows) -> list[tuple[date, date]]:
    """[[start, end], …] ISO dates as date pairs; malformed rows are skipped."""
    parsed = []
    for row in windows or []:
        try:
            start, end = date.fromisoformat(row[0]), date.fromisoformat(row[1])
        except (TypeError, ValueError, IndexError):
            continue
        if start <= end:
            parsed.append((start, end))
    return parsed


def closed_reason(day: date, departement: str | None, is_august_break: bool) -> str | None:
    """Why no stop may take `day` (a warnings code), or None when it is a working day."""
    if day.weekday() >= 5:
        return WEEKEND
    if public_holiday(day, departement):
        return PUBLIC_HOLIDAY
    if is_august_break and day.month == 8:
        return AUGUST_BREAK
    return None


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def candidate_days(
    windows,
    starts_on: date,
    ends_on: date,
    departement: str | None,
    is_august_break: bool,
) -> tuple[list[date], frozenset[date]]:
    """The open days of a stop's windows inside the edition (all the edition's open days
    when it gave none), and the open days of its first window."""
    parsed = parse_windows(windows) or [(starts_on, ends_on)]
    chosen: set[date] = set()
    preferred: set[date] = set()
    for position, (start, end) in enumerate(parsed):
        for day in _days(max(start, starts_on), min(end, ends_on)):
            if closed_reason(day, departement, is_august_break) is None:
                chosen.add(day)
                if position == 0:
                    preferred.add(day)
    return sorted(chosen), frozenset(preferred)


def window_reasons(
    start: date,
    end: date,
    starts_on: date,
    ends_on: date,
    departement: str | None,
    is_august_break: bool,
) -> set[str]:
    """Every reason the days of one window are closed (for explanations)."""
    reasons = set()
    for day in _days(start, end):
        if day < starts_on or day > ends_on:
            reasons.add(OUTSIDE_EDITION)
        else:
            reason = closed_reason(day, departement, is_august_break)
            if reason:
                reasons.add(reason)
    return reasons
