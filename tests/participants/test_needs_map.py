"""The observatory's map: départements shaded by the average need, small cells left blank."""

import re
from datetime import timedelta

from coordination.extensions import db
from coordination.participants import needs_map, queries, services
from tests.participants.conftest import person

BOURGES = "18033"


def _answer(stop, questionnaire, n, scores, **fields):
    registration = services.register(
        stop, person(n, **fields), [], "fr", stop.starts_at - timedelta(1)
    )
    services.set_checked_in(registration, True, stop.starts_at)
    services.submit_answers(registration, questionnaire, scores, stop.ends_at)


def _questionnaire(edition):
    questionnaire = services.get_or_create_questionnaire(edition)
    for theme in ("innovation", "training"):
        services.add_question(questionnaire, {"kind": "scale", "theme": theme, "label_fr": theme})
    return questionnaire


def _path(html, code):
    match = re.search(rf'<path [^>]*data-code="{code}"[^>]*>', html)
    assert match, code
    return match.group(0)


def test_map_shades_departements_with_five_answers_only(client, stop, edition, staff, sign_in):
    questionnaire = _questionnaire(edition)
    innovation, training = (str(q.id) for q in questionnaire.questions)
    # Five companies in Loiret (45), four in Cher (18).
    for n in range(1, 6):
        _answer(stop, questionnaire, n, {innovation: 4, training: 2})
    for n in range(6, 10):
        _answer(stop, questionnaire, n, {innovation: 5}, commune_insee=BOURGES)
    sign_in(staff)

    html = client.get("/observatoire?theme=innovation").get_data(as_text=True)
    loiret, cher = _path(html, "45"), _path(html, "18")
    assert 'class="departement need-level-4"' in loiret and 'data-mean="4.0"' in loiret
    assert "need-level" not in cher and "need-few" in cher and "data-mean" not in cher
    assert "need-level" not in _path(html, "75")  # no answers there
    table = html.split('id="needs-by-departement"')[1].split("</table>")[0]
    row = table.split('data-code="18"')[1].split("</tr>")[0]
    assert "&lt; 5" in row and "5.0" not in row
    assert 'class="map-legend needs-legend"' in html and "<desc" in html

    # The average of all themes: (4 + 2) / 2 for each of the five in Loiret.
    overall = client.get("/observatoire").get_data(as_text=True)
    assert 'data-mean="3.0"' in _path(overall, "45")
    assert "need-level-3" in _path(overall, "45")


def test_needs_by_departement_counts_each_respondent_once(stop, edition):
    questionnaire = _questionnaire(edition)
    innovation, training = (str(q.id) for q in questionnaire.questions)
    for n in range(1, 4):
        _answer(stop, questionnaire, n, {innovation: 3, training: 5})
    _answer(stop, questionnaire, 4, {training: 1}, commune_insee=BOURGES)
    db.session.flush()
    rows = queries.answer_rows(None, {})
    assert {row.departement_code for row in rows} == {"45", "18"}
    cells = needs_map.needs_by_departement(rows, "innovation")
    assert set(cells) == {"45"}
    assert (cells["45"].count, cells["45"].mean) == (3, 3.0)
    overall = needs_map.needs_by_departement(rows)
    assert (overall["45"].count, overall["45"].mean) == (3, 4.0)
    assert overall["18"].count == 1 and overall["18"].is_hidden
    assert needs_map.level_of(1.0) == 1 and needs_map.level_of(4.9) == 4
