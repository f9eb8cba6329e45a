"""Reused reads: participants of a stop, who may see what, and the needs observatory."""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from coordination.auth.models import Role
from coordination.campaigns.models import Application, Edition, application_members
from coordination.clubs.models import Membership, MembershipStatus, PartnerContact, club_territories
from coordination.core.disclosure import suppress_column
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.participants.models import (
    COMPANY_SIZE_LABELS,
    THEME_LABELS,
    NeedQuestion,
    NeedResponse,
    QuestionKind,
    Registration,
    Seat,
    SeatStatus,
    Theme,
    Workshop,
)
from coordination.stops.models import Stop
from coordination.territories.models import Commune, Region, Territory

#: Fewer answers than this in a cell and the cell is hidden, so nobody can be identified.
SMALL_CELL = 5

DIMENSIONS = {
    "territory": _l("Territory"),
    "region": _l("Région"),
    "size": _l("Company size"),
    "sector": _l("Sector (NAF section)"),
    "edition": _l("Edition"),
}

NAF_SECTION_LABELS = {
    "A": _l("Agriculture, forestry and fishing"),
    "B": _l("Mining and quarrying"),
    "C": _l("Manufacturing"),
    "D": _l("Electricity and gas"),
    "E": _l("Water and waste"),
    "F": _l("Construction"),
    "G": _l("Trade"),
    "H": _l("Transport and storage"),
    "I": _l("Accommodation and food"),
    "J": _l("Information and communication"),
    "K": _l("Finance and insurance"),
    "L": _l("Real estate"),
    "M": _l("Professional, scientific and technical"),
    "N": _l("Administrative and support services"),
    "O": _l("Public administration"),
    "P": _l("Education"),
    "Q": _l("Health and social work"),
    "R": _l("Arts and recreation"),
    "S": _l("Other services"),
    "T": _l("Households"),
    "U": _l("Extraterritorial organisations"),
}


def stop_registrations(stop: Stop, text: str = "") -> list[Registration]:
    """A stop's registrations (active first, by name), with their seats; optional search."""
    statement = (
        select(Registration)
        .options(selectinload(Registration.seats).selectinload(Seat.workshop))
        .where(Registration.stop_id == stop.id)
        .order_by(Registration.cancelled_at.is_not(None), Registration.search_name, Registration.id)
    )
    key = search_key(text or "")
    if key:
        statement = statement.where(
            Registration.search_name.contains(key)
            | Registration.email.contains((text or "").strip().lower())
        )
    return list(db.session.scalars(statement))


def waiting_counts(stop: Stop) -> dict[int, int]:
    """{workshop id: people on its waiting list} for a stop."""
    return dict(
        db.session.execute(
            select(Seat.workshop_id, func.count())
            .join(Workshop, Workshop.id == Seat.workshop_id)
            .where(Workshop.stop_id == stop.id, Seat.status == SeatStatus.WAITING)
            .group_by(Seat.workshop_id)
        ).all()
    )


# --- Who sees which territories ---------------------------------------------------------


def visible_territory_ids(user) -> set[int] | None:
    """None for staff (everything); else the territories whose results the user may see."""
    if not (user and user.is_authenticated):
        return set()
    if user.has_role(Role.STAFF):
        return None
    ids: set[int] = set()
    if user.has_role(Role.TERRITORY_CONTACT):
        member_of = select(application_members.c.application_id).where(
            application_members.c.user_id == user.id
        )
        ids.update(
            db.session.scalars(
                select(Application.territory_id).where(
                    Application.id.in_(member_of), Application.territory_id.is_not(None)
                )
            )
        )
        ids.update(
            db.session.scalars(
                select(Stop.territory_id).where(
                    Stop.application_id.in_(
                        select(Application.id).where(Application.id.in_(member_of))
                    ),
                    Stop.territory_id.is_not(None),
                )
            )
        )
        email = user.email.lower()
        for territory_id, contacts in db.session.execute(
            select(Stop.territory_id, Stop.host_contacts).where(Stop.territory_id.is_not(None))
        ):
            if any((c.get("email") or "").strip().lower() == email for c in contacts or []):
                ids.add(territory_id)
    if user.has_role(Role.PARTNER_CONTACT):
        ids.update(
            db.session.scalars(
                select(club_territories.c.territory_id)
                .join(Membership, Membership.club_id == club_territories.c.club_id)
                .join(
                    PartnerContact,
                    PartnerContact.organisation_id == Membership.organisation_id,
                )
                .where(
                    PartnerContact.user_id == user.id,
                    PartnerContact.is_approved.is_(True),
                    Membership.status == MembershipStatus.APPROVED,
                )
            )
        )
    return ids


# --- The observatory --------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    """One response, anonymised: where and what kind of company, and its answers."""

    edition: str
    edition_slug: str
    territory_id: int | None
    territory: str
    region_code: str
    region: str
    size: str
    sector: str
    answers: dict
    #: The company's département (its commune's), else the stop's; "" when unknown.
    departement_code: str = ""


@dataclass
class Cell:
    count: int
    mean: float | None

    @property
    def is_hidden(self) -> bool:
        return self.count < SMALL_CELL


@dataclass
class ObservatoryRow:
    key: str
    label: str
    respondents: int
    cells: dict[str, Cell] = field(default_factory=dict)
    #: Hidden although large enough, so the total cannot give away a small group.
    is_suppressed: bool = False

    @property
    def is_hidden(self) -> bool:
        return self.respondents < SMALL_CELL or self.is_suppressed


def answer_rows(territory_ids: set[int] | None, filters: dict) -> list[AnswerRow]:
    """The responses a viewer may see, filtered, without names, emails or companies."""
    company_commune = aliased(Commune)
    stop_commune = aliased(Commune)
    # Columns, not entities: at the full-size demo's 2,000 responses, loading six whole
    # objects per row (JSON and search-key columns decoded) took most of the page's time.
    statement = (
        select(
            NeedResponse.answers,
            Registration.company_size,
            Registration.sector,
            Territory.id,
            Territory.name,
            Region.code,
            Region.name,
            Edition.name,
            Edition.slug,
            func.coalesce(company_commune.departement_code, stop_commune.departement_code),
        )
        .select_from(NeedResponse)
        .join(Registration, Registration.id == NeedResponse.registration_id)
        .join(Stop, Stop.id == Registration.stop_id)
        .join(Edition, Edition.id == Stop.edition_id)
        .outerjoin(Territory, Territory.id == Stop.territory_id)
        .outerjoin(Region, Region.code == Territory.region_code)
        .outerjoin(company_commune, company_commune.insee_code == Registration.commune_insee)
        .outerjoin(stop_commune, stop_commune.insee_code == Stop.commune_insee)
        .order_by(NeedResponse.id)
    )
    if territory_ids is not None:
        statement = statement.where(Stop.territory_id.in_(territory_ids or [-1]))
    if filters.get("edition"):
        statement = statement.where(Edition.slug == filters["edition"])
    if filters.get("region"):
        statement = statement.where(Territory.region_code == filters["region"])
    if filters.get("size"):
        statement = statement.where(Registration.company_size == filters["size"])
    if filters.get("sector"):
        statement = statement.where(Registration.sector == filters["sector"])
    rows = []
    for (
        answers,
        size,
        sector,
        territory_id,
        territory_name,
        region_code,
        region_name,
        edition_name,
        edition_slug,
        departement,
    ) in db.session.execute(statement):
        rows.append(
            AnswerRow(
                edition=edition_name,
                edition_slug=edition_slug,
                territory_id=territory_id,
                territory=territory_name or "",
                region_code=region_code or "",
                region=region_name or "",
                size=size,
                sector=sector,
                answers=answers or {},
                departement_code=departement or "",
            )
        )
    return rows


def scale_themes(rows: list[AnswerRow]) -> dict[str, str]:
    """{question id (text): theme} of the scale questions answered in the rows."""
    ids = {int(key) for row in rows for key in row.answers if key.isdigit()}
    if not ids:
        return {}
    return {
        str(question_id): theme
        for question_id, theme in db.session.execute(
            select(NeedQuestion.id, NeedQuestion.theme).where(
                NeedQuestion.id.in_(ids), NeedQuestion.kind == QuestionKind.SCALE
            )
        )
    }


def _group(row: AnswerRow, dimension: str) -> tuple[str, str]:
    if dimension == "territory":
        return str(row.territory_id or ""), row.territory or "—"
    if dimension == "region":
        return row.region_code, row.region or "—"
    if dimension == "size":
        return row.size, str(COMPANY_SIZE_LABELS.get(row.size, row.size))
    if dimension == "sector":
        return row.sector, f"{row.sector} · {NAF_SECTION_LABELS.get(row.sector, '')}"
    return row.edition_slug, row.edition


def needs_table(rows: list[AnswerRow], dimension: str) -> list[ObservatoryRow]:
    """Mean need (1 to 5) per theme for each value of a dimension; counts kept for hiding."""
    themes = scale_themes(rows)
    groups: dict[str, ObservatoryRow] = {}
    scores: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in rows:
        key, label = _group(row, dimension)
        group = groups.setdefault(key, ObservatoryRow(key=key, label=label, respondents=0))
        group.respondents += 1
        per_theme: dict[str, list[int]] = defaultdict(list)
        for question_id, value in row.answers.items():
            theme = themes.get(question_id)
            if theme is not None and isinstance(value, int):
                per_theme[theme].append(value)
        for theme, values in per_theme.items():
            # One respondent counts once per theme: the mean of their answers on it.
            scores[(key, theme)].append(sum(values) / len(values))
    for key, group in groups.items():
        for theme in Theme:
            values = scores.get((key, theme), [])
            mean = round(sum(values) / len(values), 1) if values else None
            group.cells[theme] = Cell(count=len(values), mean=mean)
    return sorted(groups.values(), key=lambda g: g.label)


def protect_total(table: list[ObservatoryRow], total: int) -> bool:
    """Hide enough groups that the total minus the groups shown gives no small group's
    size (core/disclosure.py); return whether the total itself must be hidden."""
    hidden, total_hidden = suppress_column([row.respondents for row in table], SMALL_CELL)
    for index in hidden:
        table[index].is_suppressed = table[index].respondents >= SMALL_CELL
    return total_hidden or total < SMALL_CELL


def theme_labels() -> dict[str, str]:
    return {theme: str(label) for theme, label in THEME_LABELS.items()}


def registration_counts(stop_ids: list[int]) -> dict[int, int]:
    """{stop id: people registered and not cancelled} for a few stops, in one query."""
    if not stop_ids:
        return {}
    return dict(
        db.session.execute(
            select(Registration.stop_id, func.count(Registration.id))
            .where(Registration.stop_id.in_(stop_ids), Registration.cancelled_at.is_(None))
            .group_by(Registration.stop_id)
        ).all()
    )
