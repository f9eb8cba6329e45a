"""The stop's agenda form: sessions with an end time, a kind and speaker rows."""

from datetime import time

from sqlalchemy import func, select

from coordination.extensions import db
from coordination.forums.models import Speaker
from coordination.stops.forms import LocalDetailsForm
from coordination.stops.models import AgendaItem
from coordination.stops.services import set_agenda


def _agenda_form(**rows):
    return {"venue_name": "Centre des congrès", **rows}


def test_host_saves_sessions_with_speakers(client, host, sign_in, forum):
    sign_in(host)
    response = client.post(
        f"/etapes/{forum.id}/modifier",
        data=_agenda_form(
            **{
                "agenda-0-title": "Ouverture",
                "agenda-0-kind": "plenary",
                "agenda-0-starts_on": "09:00",
                "agenda-0-ends_on": "09:30",
                "agenda-0-room": "Auditorium",
                "agenda-0-speaker_rows-0-name": "Hélène Duret",
                "agenda-0-speaker_rows-0-organisation": "InnovENT-E",
                "agenda-0-speaker_rows-0-role": "Déléguée générale",
                "agenda-0-speaker_rows-1-name": "Marc Vial",
                "agenda-0-speaker_rows-1-organisation": "Thésame",
                "agenda-1-title": "Atelier",
                "agenda-1-starts_on": "10:00",
            }
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    items = forum.agenda_items
    assert [(i.title, i.kind, i.ends_on) for i in items] == [
        ("Ouverture", "plenary", time(9, 30)),
        ("Atelier", "workshop", None),
    ]
    assert [(s.name, s.organisation, s.role) for s in items[0].speaker_list] == [
        ("Hélène Duret", "InnovENT-E", "Déléguée générale"),
        ("Marc Vial", "Thésame", ""),
    ]
    # The edit page shows them again, with one empty row to add another.
    page = client.get(f"/etapes/{forum.id}/modifier").get_data(as_text=True)
    assert 'value="Marc Vial"' in page
    assert 'name="agenda-0-speaker_rows-2-name"' in page


def test_bad_session_rows_show_errors_and_keep_the_input(client, host, sign_in, forum):
    sign_in(host)
    client.post("/langue", data={"locale": "en"})
    before = [i.title for i in forum.agenda_items]
    response = client.post(
        f"/etapes/{forum.id}/modifier",
        data=_agenda_form(
            **{
                "agenda-0-title": "Table ronde",
                "agenda-0-starts_on": "11:00",
                "agenda-0-ends_on": "10:00",
                "agenda-0-speaker_rows-0-organisation": "Bpifrance",
                "agenda-1-title": "Sans début",
                "agenda-1-ends_on": "12:00",
            }
        ),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The session must end after it starts." in html
    assert "Give the speaker&#39;s name." in html or "Give the speaker's name." in html
    assert "Give the start time too." in html
    assert 'value="Bpifrance"' in html and 'value="Table ronde"' in html
    db.session.expire_all()
    assert [i.title for i in forum.agenda_items] == before


def test_add_and_remove_a_speaker_row_without_javascript(client, host, sign_in, forum):
    sign_in(host)
    data = _agenda_form(
        **{
            "agenda-0-title": "Table ronde",
            "agenda-0-speaker_rows-0-name": "Sophie",
            "agenda-0-speaker_rows-1-name": "Karim",
        }
    )
    added = client.post(
        f"/etapes/{forum.id}/modifier", data={**data, "action": "add-agenda-0-speaker_rows"}
    ).get_data(as_text=True)
    assert 'name="agenda-0-speaker_rows-2-name"' in added
    assert 'value="Sophie"' in added and 'value="Karim"' in added
    removed = client.post(
        f"/etapes/{forum.id}/modifier",
        data={**data, "action": "remove-agenda-0-speaker_rows-0"},
    ).get_data(as_text=True)
    assert 'value="Sophie"' not in removed and 'value="Karim"' in removed
    # Neither button saved anything.
    db.session.expire_all()
    assert "Table ronde" not in [i.title for i in forum.agenda_items]


def test_old_free_text_speakers_stay_readable(client, make_forum, host, sign_in):
    stop = make_forum(programme=[])
    stop.agenda_items.append(
        AgendaItem(position=0, title="Atelier", starts_on=time(10), speakers="M. Dupont (CCI)")
    )
    db.session.commit()
    assert "M. Dupont (CCI)" in client.get(f"/etapes/{stop.id}").get_data(as_text=True)
    assert "M. Dupont (CCI)" in client.get(f"/forums/{stop.id}/programme").get_data(as_text=True)
    sign_in(host)
    form = client.get(f"/etapes/{stop.id}/modifier").get_data(as_text=True)
    assert "M. Dupont (CCI)</textarea>" in form


def test_the_form_given_back_unchanged_changes_nothing(app, forum):
    sequence = forum.sequence
    with app.test_request_context():
        form = LocalDetailsForm(formdata=None)
        form.fill_from(forum)
        items = form.agenda_items()
    assert set_agenda(forum, items, None, forum.updated_at) is False
    assert forum.sequence == sequence
    assert db.session.scalar(select(func.count(Speaker.id))) == 3
