"""The observatory's small-cell rule cannot be undone by subtraction, on the page and in
the anonymised export."""

import re

from coordination.stops.models import StopStatus
from tests.participants.test_needs_map import BOURGES, _answer, _path, _questionnaire
from tests.participants.test_views import _answered


def _row(html: str, territory_id: int) -> str:
    return html.split(f'data-key="{territory_id}"')[1].split("</tr>")[0]


def test_a_small_group_takes_the_next_smallest_with_it_so_the_total_gives_nothing_away(
    client, make_stop, make_territory, edition, staff, sign_in
):
    stops = {
        size: make_stop(territory=make_territory(name), title=name)
        for size, name in ((4, "Petit"), (6, "Moyen"), (9, "Grand"))
    }
    start = 100
    for size, stop in stops.items():
        stop.status = StopStatus.CONFIRMED
        _answered(stop, edition, size, start)
        start += 100
    sign_in(staff)
    html = client.get("/observatoire?par=territory").get_data(as_text=True)
    answers = {size: _row(html, stop.territory_id) for size, stop in stops.items()}
    total = re.search(r'<p id="total">([^<]*)</p>', html).group(1)
    assert "19" in total
    assert "&lt; 5" in answers[4]
    # Without hiding Moyen too, 19 − 9 would give Petit's 4.
    assert "masqué" in answers[6] and ">6<" not in answers[6]
    assert ">9<" in answers[9]
    shown = [int(n) for row in answers.values() for n in re.findall(r"<td[^>]*>(\d+)</td>", row)]
    assert 19 - sum(shown) not in range(1, 5)


def test_the_export_generalises_rare_combinations_instead_of_revealing_them(
    client, make_stop, make_territory, edition, staff, sign_in
):
    region_code = "24"
    small = make_stop(territory=make_territory("Petit", region_code), title="Petit")
    other = make_stop(territory=make_territory("Autre", region_code), title="Autre")
    big = make_stop(territory=make_territory("Grand", region_code), title="Grand")
    for stop in (small, other, big):
        stop.status = StopStatus.CONFIRMED
    _answered(small, edition, 3, 100)
    _answered(other, edition, 2, 200)
    _answered(big, edition, 6, 300)
    sign_in(staff)
    lines = client.get("/observatoire/reponses.csv").get_data(as_text=True).splitlines()[1:]
    cells = [line.split(";") for line in lines]
    # Grand's six share every attribute; Petit's three and Autre's two only share the région.
    assert sum(c[2] == "Grand" for c in cells) == 6
    assert not any(c[2] in ("Petit", "Autre") for c in cells)
    assert sum(c[2] == "*" for c in cells) == 5
    assert len(cells) == 11


def test_the_map_hides_a_second_count_with_a_lone_small_one(client, stop, edition, staff, sign_in):
    questionnaire = _questionnaire(edition)
    innovation = str(questionnaire.questions[0].id)
    # Five companies in Loiret (45), four in Cher (18): 9 − 5 would give Cher's 4.
    for n in range(1, 6):
        _answer(stop, questionnaire, n, {innovation: 4})
    for n in range(6, 10):
        _answer(stop, questionnaire, n, {innovation: 5}, commune_insee=BOURGES)
    sign_in(staff)
    html = client.get("/observatoire?theme=innovation").get_data(as_text=True)
    loiret = _path(html, "45")
    assert "need-level-4" in loiret and "data-count" not in loiret  # shaded, count hidden
    table = html.split('id="needs-by-departement"')[1].split("</table>")[0]
    row = table.split('data-code="45"')[1].split("</tr>")[0]
    assert "masqué" in row and ">5<" not in row and "4.0" in row
