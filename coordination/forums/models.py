"""A forum's speakers: the people of each session (agenda item) of its day."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.extensions import db
from coordination.stops.models import AgendaItem


class Speaker(db.Model):
    """One speaker of a session: name, organisation and role, in programme order."""

    __tablename__ = "agenda_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("stop_agenda_items.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    #: Their role in the session or their organisation ("moderator", "CEO").
    role: Mapped[str] = mapped_column(String(200), default="")

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="speaker_list")
