"""Stops and registrations for the group-message tests, shared with tests/participants."""

from tests.participants.conftest import make_stop, register, stop  # noqa: F401
