"""CSV exports write Paris dates as French spreadsheets read them: « 02/12/2026 14:30 »."""

import re
from datetime import UTC, date, datetime, timedelta

from coordination.core.clock import to_local
from coordination.core.formatting import spreadsheet_date, spreadsheet_datetime


def test_a_winter_and_a_summer_instant_in_paris_time():
    assert spreadsheet_datetime(datetime(2026, 12, 2, 13, 30, tzinfo=UTC)) == "02/12/2026 14:30"
    assert spreadsheet_datetime(datetime(2027, 6, 1, 7, 0, tzinfo=UTC)) == "01/06/2027 09:00"
    assert spreadsheet_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "01/01/2027"
    assert spreadsheet_date(date(2027, 6, 1)) == "01/06/2027"
    assert spreadsheet_datetime(None) == spreadsheet_date(None) == ""


def test_reads_back_as_the_paris_minute_across_both_clock_changes():
    # Every 37 min 13 s through the spring and autumn changes of 2027 (Hypothesis is not a
    # dependency of the project; this sweep covers the same ground).
    for start in (datetime(2027, 3, 27, tzinfo=UTC), datetime(2027, 10, 30, tzinfo=UTC)):
        for step in range(200):
            moment = start + step * timedelta(minutes=37, seconds=13)
            text = spreadsheet_datetime(moment)
            assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", text)
            local = to_local(moment).replace(tzinfo=None)
            back = datetime.strptime(text, "%d/%m/%Y %H:%M")
            assert timedelta(0) <= local - back < timedelta(minutes=1)
