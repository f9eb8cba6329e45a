"""The staff accounts list: search, role, active or not, sort by name, email, dates."""

from sqlalchemy import Select

from coordination.auth import queries
from coordination.auth.models import Role, User
from coordination.core import listing

ACCOUNTS = listing.ListSpec(
    sorts=("name", "email", "created", "signed_in"),
    default_sort="name",
    filters={
        "q": listing.search_text,
        "role": listing.choice(*(role.value for role in Role)),
        "state": listing.choice("active", "inactive"),
    },
)

_COLUMNS = {
    "name": User.name,
    "email": User.email,
    "created": User.created_at,
    "signed_in": User.last_sign_in_at,
}


def accounts_list_query(state: listing.ListState) -> Select:
    """Accounts as the state filters and sorts them (never signed in: always last)."""
    filters = state.filters
    query = queries.accounts_query(
        filters.get("q", ""), filters.get("role", ""), filters.get("state", "")
    )
    column = _COLUMNS[state.sort]
    order = column.desc() if state.descending else column.asc()
    first = [User.last_sign_in_at.is_(None)] if state.sort == "signed_in" else []
    return query.order_by(None).order_by(*first, order, User.email, User.id)
