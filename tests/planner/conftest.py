"""The stops factories (edition, territories, stops) reused by the planner's tests."""

from tests.stops.conftest import make_stop  # noqa: F401
