"""Staff's figures of a week of innovation: totals, attendance against capacity and
registrations, tables by day, city, format and organiser, CSV exports."""

import csv
import io
from datetime import date, time

import pytest

from coordination.core.clock import local_datetime
from coordination.extensions import db
from coordination.participants import services
from coordination.programmes.figures import programme_figures
from tests.programmes.public_factories import (
    AMIENS,
    ARRAS,
    LILLE,
    public_week,  # noqa: F401  (the week fixture)
    publish,
    register,
)


@pytest.fixture
def figures_week(week, now):
    lille = publish(
        week,
        "Conférence",
        LILLE,
        date(2027, 10, 11),
        capacity=4,
        event_format="conference",
        organisers=("CCI Grand Lille", "Université de Lille"),
    )
    arras = publish(
        week,
        "Atelier",
        ARRAS,
        date(2027, 10, 12),
        capacity=2,
        event_format="workshop",
        organisers=("CCI Grand Lille",),
    )
    publish(
        week,
        "Salon",
        AMIENS,
        date(2027, 10, 12),
        capacity=None,
        registration=False,
        event_format="exhibition",
        organisers=("Pôle Amiens",),
    )
    at = local_datetime(date(2027, 10, 11), time(14, 5))
    for n in range(5):  # 4 places, 1 on the waiting list
        registration = register(lille, n, now)
        if n < 4:
            services.set_checked_in(registration, True, at)
    for n in range(10, 12):
        registration = register(arras, n, now)
    services.set_checked_in(registration, True, at)
    return week


def test_totals_and_ratios(figures_week):
    figures = programme_figures(figures_week)
    assert (figures.total.events, figures.organisers, figures.cities) == (3, 3, 3)
    assert figures.without_registration == 1
    assert figures.total.capacity == 6
    assert figures.total.registrations == 7
    assert figures.total.attended == 5
    assert figures.total.attendance_rate == pytest.approx(5 / 6)
    assert figures.total.show_up_rate == pytest.approx(5 / 7)
    organisers = {
        line.label: (line.events, line.attended) for line in figures.tables["organisateurs"]
    }
    assert organisers == {
        "CCI Grand Lille": (2, 5),
        "Pôle Amiens": (1, 0),
        "Université de Lille": (1, 4),
    }
    by_format = {line.label: line.events for line in figures.tables["formats"]}
    assert by_format == {"Atelier": 1, "Conférence": 1, "Exposition": 1}
    assert [line.events for line in figures.tables["jours"]] == [1, 2]


def test_figures_page_for_staff_only(client, figures_week, staff, sign_in, make_user):
    db.session.commit()
    path = f"/equipe/programmes/{figures_week.slug}/chiffres"
    assert client.get(path).status_code == 302  # to sign in
    sign_in(staff)
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<dd data-figure="registrations">7 (117\u00a0% de la capacité)</dd>' in html
    assert "<strong>83\u00a0%</strong> (-17\u00a0% de visiteurs" in html
    assert 'id="table-villes"' in html and 'id="table-organisateurs"' in html


def test_over_capacity_shows_the_weeks_measure(week, now, client, staff, sign_in):
    event = publish(week, capacity=4)
    at = local_datetime(date(2027, 10, 12), time(14, 5))
    for n in range(5):
        registration = register(event, n, now)
        services.set_checked_in(registration, True, at)
    db.session.commit()
    sign_in(staff)
    html = client.get(f"/equipe/programmes/{week.slug}/chiffres").get_data(as_text=True)
    assert "<strong>125\u00a0%</strong> (+25\u00a0% de visiteurs" in html


def test_figures_csv_exports(client, figures_week, staff, sign_in):
    db.session.commit()
    sign_in(staff)
    response = client.get(f"/equipe/programmes/{figures_week.slug}/chiffres/villes.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert rows[0][0] == "Ville"
    assert rows[1:] == [
        ["Amiens", "1", "0", "0", "0", "", ""],
        ["Arras", "1", "2", "2", "1", "0.50", "0.50"],
        ["Lille", "1", "4", "5", "4", "1.00", "0.80"],
        ["Tout le programme", "3", "6", "7", "5", "0.83", "0.71"],
    ]
    events = client.get(f"/equipe/programmes/{figures_week.slug}/chiffres/evenements.csv")
    assert events.status_code == 200
    assert "Salon" in events.get_data(as_text=True)
    assert client.get(f"/equipe/programmes/{figures_week.slug}/chiffres/x.csv").status_code == 404


def test_programme_links_the_figures_for_staff_only(client, figures_week, staff, sign_in):
    db.session.commit()
    path = f"/programmes/{figures_week.slug}"
    assert 'data-testid="programme-figures"' not in client.get(path).get_data(as_text=True)
    sign_in(staff)
    assert 'data-testid="programme-figures"' in client.get(path).get_data(as_text=True)


def test_figures_of_a_tour_edition_is_404(client, edition, staff, sign_in):
    sign_in(staff)
    assert client.get(f"/equipe/programmes/{edition.slug}/chiffres").status_code == 404


def test_figures_page_query_count_does_not_grow_with_events(
    client, week, now, staff, sign_in, query_counter
):
    def add(n):
        event = publish(
            week, f"Événement {n}", LILLE, date(2027, 10, 11 + n), organisers=(f"Organisme {n}",)
        )
        register(event, n, now)
        db.session.commit()

    def count() -> int:
        with query_counter() as statements:
            assert client.get(f"/equipe/programmes/{week.slug}/chiffres").status_code == 200
        return len(statements)

    sign_in(staff)
    add(0)
    one = count()
    add(1)
    add(2)
    assert count() == one
