from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from coordination.campaigns.models import Call, Edition
from coordination.core.text import search_key


def make_call(db_session, opens_at):
    edition = Edition(
        slug="x",
        name="X",
        starts_on=datetime(2026, 6, 1).date(),
        ends_on=datetime(2026, 7, 1).date(),
    )
    call = Call(
        edition=edition, title="T", opens_at=opens_at, closes_at=opens_at + timedelta(days=1)
    )
    db_session.add(call)
    db_session.flush()
    return call


def test_naive_datetimes_are_refused(db_session):
    with pytest.raises(StatementError, match="naive datetime refused"):
        make_call(db_session, datetime(2026, 3, 1, 9, 0))


def test_datetimes_come_back_aware_in_utc(db_session):
    paris_summer = timezone(timedelta(hours=2))
    call = make_call(db_session, datetime(2026, 6, 5, 9, 0, tzinfo=paris_summer))
    db_session.expire_all()
    assert call.opens_at == datetime(2026, 6, 5, 7, 0, tzinfo=UTC)
    assert call.opens_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Saint-Quentin", "saint quentin"),
        ("Méaulte", "meaulte"),
        ("L'Isle-Adam", "l isle adam"),
        ("Œuilly", "oeuilly"),
        ("  ÉPERNAY ", "epernay"),
    ],
)
def test_search_key_folds_accents_case_and_hyphens(name, key):
    assert search_key(name) == key
