"""Declarative base and mixins."""

from datetime import datetime

from sqlalchemy import MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

from coordination.core.clock import utcnow
from coordination.core.types import UTCDateTime

# Named constraints so Alembic can drop them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    # Every datetime column is aware UTC (UTCDateTime) unless it says otherwise.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Last change of the row; calendars use it as DTSTAMP.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class QuestionMixin:
    """A question staff write in French (and optionally English): the calls' extra
    questions and the needs questionnaires share it."""

    #: Order in the form, smallest first.
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    label_fr: Mapped[str] = mapped_column(String(300))
    #: Empty: the French label is shown to English readers too.
    label_en: Mapped[str] = mapped_column(String(300), default="")
    #: For choice questions: the options, one per line ("French | English" or "French").
    choices_text: Mapped[str] = mapped_column(Text, default="")
    is_required: Mapped[bool] = mapped_column(default=False)

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" and self.label_en else self.label_fr

    def choices(self, locale: str) -> list[tuple[str, str]]:
        """(value, label) pairs; the value is the French text, stable across languages."""
        pairs = []
        for line in self.choices_text.splitlines():
            french, _sep, english = line.partition("|")
            french, english = french.strip(), english.strip()
            if french:
                pairs.append((french, english if locale == "en" and english else french))
        return pairs
