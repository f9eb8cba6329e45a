"""Clubs: the error raised when a change breaks a club rule."""


class ClubRuleError(Exception):
    """A change the rules refuse; the message is for the person who asked."""
