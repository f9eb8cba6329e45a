"""The stops' sections of the staff digest."""


def register_digest_sections() -> None:
    """Register the stops' digest sections."""
