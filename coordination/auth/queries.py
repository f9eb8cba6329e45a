"""Reads of the accounts pages: the searchable list and the audit log."""

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import selectinload

from coordination.auth.models import AccountEvent, User, UserRole
from coordination.core.text import search_key
from coordination.extensions import db


def accounts_query(text: str = "", role: str = "", state: str = "") -> Select:
    """Accounts matching a search (name, email, partner organisation), a role, a state."""
    from coordination.clubs.models import PartnerContact, PartnerOrganisation

    query = select(User).order_by(User.name, User.email)
    text = text.strip()
    if text:
        folded = search_key(text)
        organisation = (
            select(PartnerContact.id)
            .join(PartnerOrganisation, PartnerOrganisation.id == PartnerContact.organisation_id)
            .where(
                PartnerContact.user_id == User.id,
                or_(
                    PartnerOrganisation.name.icontains(text, autoescape=True),
                    # Accent-free search ("orleans" finds "Orléans"), when letters remain.
                    PartnerOrganisation.search_name.contains(folded, autoescape=True)
                    if folded
                    else false(),
                ),
            )
            .exists()
        )
        query = query.where(
            or_(
                User.email.contains(text.lower(), autoescape=True),
                User.name.icontains(text, autoescape=True),
                organisation,
            )
        )
    if role:
        query = query.where(
            select(UserRole.id).where(UserRole.user_id == User.id, UserRole.role == role).exists()
        )
    if state == "active":
        query = query.where(User.is_active.is_(True))
    elif state == "inactive":
        query = query.where(User.is_active.is_(False))
    return query


def organisations_of(user_ids: list[int]) -> dict[int, list[str]]:
    """The partner organisations each of these accounts acts for, in one query."""
    from coordination.clubs.models import PartnerContact, PartnerOrganisation

    names: dict[int, list[str]] = {}
    if not user_ids:
        return names
    rows = select(PartnerContact.user_id, PartnerOrganisation.name).join(
        PartnerOrganisation, PartnerOrganisation.id == PartnerContact.organisation_id
    )
    for user_id, name in db.session.execute(
        rows.where(PartnerContact.user_id.in_(user_ids)).order_by(PartnerOrganisation.name)
    ):
        names.setdefault(user_id, []).append(name)
    return names


def audit_query(target_id: int | None = None) -> Select:
    """The audit log, newest first, with actor and target loaded."""
    query = (
        select(AccountEvent)
        .options(selectinload(AccountEvent.actor), selectinload(AccountEvent.target))
        .order_by(AccountEvent.created_at.desc(), AccountEvent.id.desc())
    )
    if target_id is not None:
        query = query.where(AccountEvent.target_id == target_id)
    return query
