"""Thin scheduler jobs of the participants domain."""


def register_jobs(add_job, config) -> None:
    """Add this domain's jobs to the scheduler."""
