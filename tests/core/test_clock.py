"""The one calendar-day shift: the same Paris clock time, N calendar days away."""

from datetime import UTC, datetime

from coordination.core.clock import shift_local_days


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_shift_keeps_the_paris_clock_time_across_the_march_change(app):
    # 10:00 in Paris on 2 April 2026 (UTC+2); 7 days before is 10:00 on 26 March (UTC+1).
    assert shift_local_days(utc(2026, 4, 2, 8, 0), -7) == utc(2026, 3, 26, 9, 0)
    assert shift_local_days(utc(2026, 3, 26, 9, 0), 7) == utc(2026, 4, 2, 8, 0)


def test_shift_keeps_the_paris_clock_time_across_the_october_change(app):
    # 10:00 in Paris on 29 October 2026 (UTC+1); 7 days before is 10:00 on 22 October (UTC+2).
    assert shift_local_days(utc(2026, 10, 29, 9, 0), -7) == utc(2026, 10, 22, 8, 0)


def test_a_time_in_the_spring_gap_moves_forward_as_clocks_do(app):
    # 02:30 on 29 March 2026 does not exist in Paris: it reads as 03:30 (UTC+2).
    assert shift_local_days(utc(2026, 3, 28, 1, 30), 1) == utc(2026, 3, 29, 1, 30)
