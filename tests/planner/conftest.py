"""The stops factories (edition, territories, stops) reused by the planner's tests."""

from tests.stops.conftest import edition, make_stop, make_territory  # noqa: F401
