import pytest

from coordination.extensions import limiter


@pytest.fixture(autouse=True)
def _fresh_sign_in_limit():
    """These tests sign in often: start each with an empty rate-limit count, and leave one."""
    limiter.reset()
    yield
    limiter.reset()
