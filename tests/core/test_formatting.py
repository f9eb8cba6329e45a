"""Dates, times, numbers and French spacing as the templates show them."""

from datetime import UTC, date, datetime

import pytest
from flask_babel import gettext, refresh

from coordination.core.formatting import (
    decimal,
    french_spacing,
    local_date,
    local_date_range,
    local_datetime,
    local_time,
    local_time_range,
)

NNBSP = "\u202f"
NBSP = "\u00a0"
# 1 June 2027, 9:00 and 17:00 in Paris (summer time, UTC+2).
NINE = datetime(2027, 6, 1, 7, 0, tzinfo=UTC)
FIVE = datetime(2027, 6, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def french(app):
    with app.test_request_context("/"):
        refresh()
        yield


@pytest.fixture
def english(app):
    with app.test_request_context("/"):
        from flask import session

        session["locale"] = "en"
        refresh()
        yield


def test_first_of_the_month_reads_1er_in_french(french):
    assert local_date(date(2027, 6, 1), "full") == "mardi 1er juin 2027"
    assert local_date(date(2027, 6, 1), "short") == "1er juin"
    assert local_date(date(2027, 6, 2), "long") == "2 juin 2027"
    assert local_date(date(2027, 6, 11), "d MMMM") == "11 juin"


def test_time_range_on_one_day_in_french(french):
    assert local_time(NINE) == f"9{NBSP}h"
    assert local_time(datetime(2027, 6, 1, 7, 30, tzinfo=UTC)) == f"9{NBSP}h{NBSP}30"
    assert local_time_range(NINE, FIVE) == f"mardi 1er juin 2027, de 9{NBSP}h à 17{NBSP}h"
    assert local_datetime(NINE, "long") == f"mardi 1er juin 2027 à 9{NBSP}h"
    assert local_datetime(NINE, "HH:mm") == f"9{NBSP}h"


def test_ranges_over_several_days_in_french(french):
    later = datetime(2027, 6, 2, 15, 0, tzinfo=UTC)
    assert local_time_range(NINE, later, "long") == (
        f"du 1er juin 2027 à 9{NBSP}h au 2 juin 2027 à 17{NBSP}h"
    )
    assert local_date_range(date(2027, 6, 1), date(2027, 10, 30)) == (
        "du 1er juin 2027 au 30 octobre 2027"
    )


def test_english_dates_and_times(english):
    assert local_date(date(2027, 6, 1), "full") == "Tuesday 1 June 2027"
    assert local_time_range(NINE, FIVE) == "Tuesday 1 June 2027, from 9:00 AM to 5:00 PM"


def test_decimal_comma_in_french(french):
    assert decimal(2.5) == "2,5"
    assert decimal(1234.25, 2) == f"1{NNBSP}234,25"
    assert decimal(3.0) == "3,0"


def test_french_spacing_before_punctuation_and_inside_guillemets():
    assert french_spacing("Édition : Toutes") == f"Édition{NNBSP}: Toutes"
    assert french_spacing("Vraiment ?") == f"Vraiment{NNBSP}?"
    assert french_spacing("« Tournée »") == f"«{NNBSP}Tournée{NNBSP}»"
    # Clock times and addresses keep their colons.
    assert french_spacing("à 9:30, https://example.org") == "à 9:30, https://example.org"


def test_the_french_catalogue_gets_the_spacing_once(french):
    translated = gettext("Summary of the answers:")
    assert translated.endswith(f"{NNBSP}:")
    assert f" {NNBSP}" not in translated
