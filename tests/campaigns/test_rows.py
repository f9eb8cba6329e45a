"""Contacts and availability windows as "add another" rows, without JavaScript."""

import re

import pytest
from sqlalchemy import select

from coordination.campaigns import services
from coordination.campaigns.catalogue import MAX_ROWS
from coordination.campaigns.models import Application
from tests.campaigns.conftest import complete_answers

SECOND = {
    "contacts-1-name": "Marc Durand",
    "contacts-1-function": "Élu",
    "contacts-1-email": "marc@territoire.example",
    "contacts-1-phone": "",
}


def _rows(html: str, name: str) -> list[str]:
    """The row indices of list `name` on the page, in order."""
    return re.findall(rf'name="{name}-(\d+)-(?:name|start)"', html)


def _draft(db_session, call) -> Application:
    return db_session.scalar(select(Application).where(Application.call_id == call.id))


def test_form_starts_with_one_row_of_each(client, call, contact, sign_in):
    sign_in(contact)
    html = client.get(f"/appels/{call.id}/candidature").get_data(as_text=True)
    assert _rows(html, "contacts") == ["0"]
    assert _rows(html, "availability") == ["0"]
    assert 'value="add-contacts"' in html and 'value="add-availability"' in html
    assert "/static/js/form-rows.js" in html


def test_add_a_contact_keeps_everything_typed_and_saves_the_draft(
    client, call, territory, contact, sign_in, db_session
):
    sign_in(contact)
    data = complete_answers(territory.id, action="add-contacts", motivation="Tapé à la main")
    response = client.post(f"/appels/{call.id}/candidature", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _rows(html, "contacts") == ["0", "1"]
    assert 'value="Sandrine Petit"' in html
    assert "Tapé à la main" in html
    assert 'id="contacts-1-name"' in html and 'id="contacts-1-name-error"' not in html
    assert _draft(db_session, call).value("motivation") == "Tapé à la main"


def test_add_a_window(client, call, territory, contact, sign_in):
    sign_in(contact)
    data = complete_answers(territory.id, action="add-availability")
    html = client.post(f"/appels/{call.id}/candidature", data=data).get_data(as_text=True)
    assert _rows(html, "availability") == ["0", "1"]
    assert 'value="2027-09-14"' in html


def test_remove_a_row_keeps_the_others_as_typed(
    client, call, territory, contact, sign_in, db_session
):
    sign_in(contact)
    data = complete_answers(territory.id, action="remove-contacts-0", **SECOND)
    response = client.post(f"/appels/{call.id}/candidature", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # The rows left are numbered again from 0.
    assert _rows(html, "contacts") == ["0"]
    assert "Sandrine Petit" not in html
    assert 'value="Marc Durand"' in html
    application = _draft(db_session, call)
    assert application.rows("contacts", ("name", "email")) == [
        {"name": "Marc Durand", "email": "marc@territoire.example"}
    ]
    # Back later, the draft has the same rows.
    html = client.get(f"/appels/{call.id}/candidature").get_data(as_text=True)
    assert _rows(html, "contacts") == ["0"]
    assert 'value="Marc Durand"' in html


def test_removing_the_only_row_leaves_an_empty_one(client, call, territory, contact, sign_in):
    sign_in(contact)
    data = complete_answers(territory.id, action="remove-availability-0")
    html = client.post(f"/appels/{call.id}/candidature", data=data).get_data(as_text=True)
    assert len(_rows(html, "availability")) == 1
    assert 'value="2027-09-14"' not in html


def test_submit_with_four_contacts_and_windows(
    client, call, territory, contact, sign_in, db_session
):
    sign_in(contact)
    data = complete_answers(territory.id, action="submit")
    for row in range(1, 4):
        data |= {
            f"contacts-{row}-name": f"Contact {row}",
            f"contacts-{row}-email": f"c{row}@territoire.example",
            f"availability-{row}-start": f"2027-10-0{row}",
            f"availability-{row}-end": f"2027-10-0{row + 1}",
        }
    response = client.post(f"/appels/{call.id}/candidature", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    application = _draft(db_session, call)
    assert application.status == "submitted"
    rows = dict(services.answer_rows(application, "fr"))
    assert rows["Contacts"].splitlines()[3] == "Contact 3, c3@territoire.example"
    assert len(rows["Périodes de disponibilité"].splitlines()) == 4


def test_errors_show_next_to_their_row_and_everything_stays(
    client, call, territory, contact, sign_in, db_session
):
    sign_in(contact)
    data = complete_answers(
        territory.id,
        action="submit",
        **{
            "contacts-1-name": "",
            "contacts-1-function": "Directrice",
            "contacts-2-name": "Paul",
            "contacts-2-email": "pas-une-adresse",
            "availability-1-start": "2027-10-10",
            "availability-1-end": "2027-10-01",
        },
    )
    response = client.post(f"/appels/{call.id}/candidature", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="contacts-1-name-error"' in html
    assert 'id="contacts-2-email-error"' in html
    assert 'id="availability-1-end-error"' in html
    assert 'id="contacts-0-name-error"' not in html
    for typed in ('value="Directrice"', 'value="pas-une-adresse"', 'value="2027-10-10"'):
        assert typed in html
    assert _draft(db_session, call).status == "draft"


def test_rows_stop_at_the_limit(client, call, territory, contact, sign_in):
    sign_in(contact)
    data = complete_answers(territory.id, action="add-contacts")
    for row in range(1, MAX_ROWS):
        data[f"contacts-{row}-name"] = f"C{row}"
    html = client.post(f"/appels/{call.id}/candidature", data=data).get_data(as_text=True)
    assert len(_rows(html, "contacts")) == MAX_ROWS
    assert 'value="add-contacts"' not in html


@pytest.mark.parametrize(
    "action", ["remove-contacts", "add-contacts-1", "add-people", "remove-contacts-99999", "²"]
)
def test_tampered_row_buttons_just_save(client, call, territory, contact, sign_in, action):
    sign_in(contact)
    data = complete_answers(territory.id, action=action)
    response = client.post(f"/appels/{call.id}/candidature", data=data)
    assert response.status_code == 302


def test_removing_an_unknown_row_changes_nothing(client, call, territory, contact, sign_in):
    sign_in(contact)
    data = complete_answers(territory.id, action="remove-contacts-7")
    html = client.post(f"/appels/{call.id}/candidature", data=data).get_data(as_text=True)
    assert _rows(html, "contacts") == ["0"]
    assert 'value="Sandrine Petit"' in html
