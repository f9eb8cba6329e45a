"""Rate limits shared by several app instances (gunicorn workers) through Redis.

The Redis tests use db REDIS_TEST_URL (default redis://127.0.0.1:6379/3), which they
empty. Without a Redis answering they are skipped, except in CI (CI=true), where they fail.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/3")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def redis_url() -> str:
    """An empty Redis database, or a skip (a failure in CI) when none answers."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError as error:
        message = f"No Redis answers at {REDIS_URL} ({error}); start redis-server to run this."
        if _in_ci():
            pytest.fail(f"CI: {message}", pytrace=False)
        pytest.skip(message)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


def _worker(tmp_path: Path, name: str, storage_uri: str, count: int) -> list[int]:
    """Run one app instance in its own process; its sign-in statuses."""
    env = dict(os.environ, RATELIMIT_STORAGE_URI=storage_uri, RATELIMIT_SIGN_IN="5 per minute")
    env.pop("TEST_DATABASE_URL", None)
    database = f"sqlite:///{tmp_path / f'{name}.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "tests.auth.rate_limit_worker", database, str(count)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [int(status) for status in result.stdout.split()[-count:]]


def test_two_instances_share_the_sign_in_limit_through_redis(redis_url, tmp_path):
    # Two processes, two databases: only the Redis store is common to them.
    assert _worker(tmp_path, "first", redis_url, 3) == [200, 200, 200]
    assert _worker(tmp_path, "second", redis_url, 3) == [200, 200, 429]


def test_without_a_shared_store_each_instance_counts_alone(tmp_path):
    # What the Redis test guards against: memory counters are per process.
    assert _worker(tmp_path, "first", "memory://", 3) == [200, 200, 200]
    assert _worker(tmp_path, "second", "memory://", 3) == [200, 200, 200]


def test_memory_is_the_default_store(app):
    from limits.storage import MemoryStorage

    from coordination.extensions import limiter

    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert isinstance(limiter.storage, MemoryStorage)
