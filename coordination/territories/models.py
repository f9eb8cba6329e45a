"""Régions, départements, intercommunalities (EPCI), communes and territoires d'industrie."""

from sqlalchemy import Column, Float, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.models import TimestampMixin
from coordination.extensions import db

# Byte order on PostgreSQL, so a prefix range uses the index whatever the server's locale.
SearchKey = String(200).with_variant(String(200, collation="C"), "postgresql")


class Region(db.Model):
    __tablename__ = "regions"

    #: INSEE code, e.g. "32" for Hauts-de-France.
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))

    departements: Mapped[list["Departement"]] = relationship(back_populates="region")


class Departement(db.Model):
    __tablename__ = "departements"

    #: INSEE code, e.g. "45", "2A", "974".
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)

    region: Mapped[Region] = relationship(back_populates="departements")


class Epci(db.Model):
    __tablename__ = "epcis"

    siren: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: CC, CA, CU, METRO or MET69.
    kind: Mapped[str] = mapped_column(String(10))
    search_name: Mapped[str] = mapped_column(SearchKey, index=True)


class Commune(db.Model):
    __tablename__ = "communes"
    __table_args__ = (Index("ix_communes_search_name", "search_name"),)

    insee_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The name folded for prefix search (no accents, case or hyphens).
    search_name: Mapped[str] = mapped_column(SearchKey)
    departement_code: Mapped[str] = mapped_column(ForeignKey("departements.code"), index=True)
    epci_siren: Mapped[str | None] = mapped_column(ForeignKey("epcis.siren"), index=True)
    population: Mapped[int | None]
    #: Town hall, WGS84; empty for a few communes.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    departement: Mapped[Departement] = relationship()
    epci: Mapped[Epci | None] = relationship()


territory_epcis = Table(
    "territory_epcis",
    db.metadata,
    Column("territory_id", ForeignKey("territories.id", ondelete="CASCADE"), primary_key=True),
    Column("epci_siren", ForeignKey("epcis.siren"), primary_key=True),
)


class Territory(TimestampMixin, db.Model):
    """A territoire d'industrie (or any territory staff define) as a set of EPCIs."""

    __tablename__ = "territories"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The official identifier (e.g. "TI-32-001"); empty for territories made by hand.
    official_code: Mapped[str | None] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(SearchKey, index=True)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    #: True for the official territoires d'industrie list.
    is_industry_territory: Mapped[bool] = mapped_column(default=True)

    region: Mapped[Region | None] = relationship()
    epcis: Mapped[list[Epci]] = relationship(secondary=territory_epcis, order_by=Epci.name)
