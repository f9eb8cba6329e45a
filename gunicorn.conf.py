"""gunicorn reads this file from the working directory: settings and worker hooks."""


def post_worker_init(worker):
    """Warm each worker up before its first request (coordination/core/warmup.py)."""
    from coordination.core.warmup import warm_up

    try:
        warm_up(worker.wsgi)
    except Exception:  # noqa: BLE001 - a cold worker still serves; the first request pays
        worker.log.exception("warm-up failed")
