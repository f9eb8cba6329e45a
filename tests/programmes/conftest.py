"""Fixtures of the open programmes' public side (data from public_factories)."""

import pytest

from tests.programmes.public_factories import make_week


@pytest.fixture
def week():
    return make_week()
