"""The clubs' sections of the staff digest."""


def register_digest_sections() -> None:
    """Register the clubs' digest sections."""
