"""A worker's warm-up: first-use costs paid before the first request, the heap frozen."""

import gc
import importlib.util
from pathlib import Path

from coordination.calendar import ics_text
from coordination.core.warmup import warm_up


def _gunicorn_conf():
    path = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_warm_up_builds_the_timezone_and_freezes_the_heap(app):
    ics_text.vtimezone.cache_clear()
    try:
        warm_up(app)
        assert gc.get_freeze_count() > 100_000
        assert ics_text.vtimezone.cache_info().currsize == 1
    finally:
        gc.unfreeze()


class _Log:
    def __init__(self):
        self.errors = []

    def exception(self, message):
        self.errors.append(message)


class _Worker:
    def __init__(self, wsgi):
        self.wsgi, self.log = wsgi, _Log()


def test_gunicorn_hook_warms_the_worker_and_survives_a_failure(app):
    hook = _gunicorn_conf().post_worker_init
    worker = _Worker(app)
    try:
        hook(worker)
        assert gc.get_freeze_count() > 0
        assert worker.log.errors == []
    finally:
        gc.unfreeze()
    broken = _Worker(object())  # no app context: the warm-up fails, the worker still starts
    hook(broken)
    assert broken.log.errors == ["warm-up failed"]
