"""Review criteria keep their scores through renames, additions, moves and retirement."""

import re

import pytest

from coordination.campaigns import criteria, services
from coordination.campaigns.models import CallCriterion
from coordination.campaigns.services import CampaignError
from tests.campaigns.conftest import make_application


@pytest.fixture
def scored(call, territory, contact, make_user, now):
    """An application of `call` scored 4 (Ancrage) and 2 (Projet) by one reviewer."""
    reviewer = make_user("r@example.org", roles=("reviewer",))
    application = make_application(call, territory, [contact])
    review = services.assign_reviewer(application, reviewer, now)
    first, second = call.criteria
    services.save_review(review, {first.id: 4, second.id: 2}, "Bien", now)
    return review


def test_renaming_adding_and_moving_criteria_keep_scores_with_their_criterion(
    client, call, scored, staff, sign_in, db_session
):
    first, second = call.criteria
    sign_in(staff)
    client.post(
        f"/appels/gestion/criteres/{first.id}",
        data={"label_fr": "Ancrage industriel", "label_en": "Industrial roots"},
    )
    client.post(f"/appels/gestion/{call.id}/criteres", data={"label_fr": "Partenaires"})
    client.post(f"/appels/gestion/criteres/{second.id}/monter")
    db_session.expire_all()

    assert [(c.label_fr, c.position) for c in call.criteria] == [
        ("Projet", 10),
        ("Ancrage industriel", 20),
        ("Partenaires", 30),
    ]
    assert scored.scores == {str(first.id): 4, str(second.id): 2}
    html = client.get(f"/appels/candidatures/{scored.application_id}").get_data(as_text=True)
    table = html[html.index('id="reviews"') :]
    # Columns follow the new order; the new criterion has no score yet.
    assert table.index("<th>Projet") < table.index("<th>Ancrage industriel")
    cells = re.findall(r"<td>([^<]*)</td>", table[: table.index("</table>")])
    assert cells[1:5] == ["2", "4", "—", "Bien"]


def test_a_scored_criterion_cannot_be_deleted_only_retired(
    client, call, scored, staff, sign_in, db_session
):
    first, second = call.criteria
    with pytest.raises(CampaignError):
        criteria.delete_criterion(first)

    sign_in(staff)
    response = client.post(f"/appels/gestion/criteres/{first.id}/supprimer", follow_redirects=True)
    assert "déjà des notes" in response.get_data(as_text=True)
    assert db_session.get(CallCriterion, first.id) is not None

    client.post(f"/appels/gestion/criteres/{first.id}/retirer")
    db_session.expire_all()
    assert first.is_retired is True
    assert [c.id for c in call.active_criteria] == [second.id]


def test_an_unscored_criterion_can_be_deleted(client, call, staff, sign_in, db_session):
    unscored_id = criteria.add_criterion(call, "Budget").id
    sign_in(staff)
    client.post(f"/appels/gestion/criteres/{unscored_id}/supprimer")
    db_session.expire_all()
    assert db_session.get(CallCriterion, unscored_id) is None
    assert [c.label_fr for c in call.criteria] == ["Ancrage", "Projet"]


def test_retired_criterion_leaves_the_review_form_and_its_score_stays(
    client, call, scored, sign_in, db_session
):
    first, second = call.criteria
    criteria.set_retired(first, True)
    sign_in(scored.reviewer)

    html = client.get(f"/appels/relectures/{scored.id}").get_data(as_text=True)
    assert f'name="score_{first.id}"' not in html
    assert f'name="score_{second.id}"' in html
    response = client.post(
        f"/appels/relectures/{scored.id}", data={f"score_{second.id}": "5", "comment": "Mieux"}
    )
    assert response.status_code == 302
    db_session.refresh(scored)
    assert scored.scores == {str(first.id): 4, str(second.id): 5}
    assert scored.total == 4.5


def test_review_must_score_exactly_the_active_criteria(call, scored, now):
    first, second = call.criteria
    criteria.set_retired(first, True)
    with pytest.raises(CampaignError):
        services.save_review(scored, {first.id: 3, second.id: 3}, "", now)
    with pytest.raises(CampaignError):
        services.save_review(scored, {}, "", now)


@pytest.mark.parametrize("roles", [(), ("reviewer",), ("territory_contact",)])
def test_only_staff_edit_criteria(client, call, make_user, sign_in, roles, db_session):
    criterion = call.criteria[0]
    sign_in(make_user("x@example.org", roles=roles))
    for path in (
        f"/appels/gestion/{call.id}/criteres",
        f"/appels/gestion/criteres/{criterion.id}",
        f"/appels/gestion/criteres/{criterion.id}/supprimer",
        f"/appels/gestion/criteres/{criterion.id}/retirer",
    ):
        assert client.post(path, data={"label_fr": "Pirate"}).status_code == 403
    db_session.expire_all()
    assert [c.label_fr for c in call.criteria] == ["Ancrage", "Projet"]


def test_anonymous_is_sent_to_sign_in_and_unknown_criterion_is_404(client, call, staff, sign_in):
    assert client.post(f"/appels/gestion/criteres/{call.criteria[0].id}/retirer").status_code == 302
    sign_in(staff)
    assert client.post("/appels/gestion/criteres/999999/retirer").status_code == 404
    assert client.post("/appels/gestion/criteres/999999", data={"label_fr": "X"}).status_code == 404


def test_rename_with_empty_label_is_refused(client, call, staff, sign_in, db_session):
    sign_in(staff)
    criterion = call.criteria[0]
    response = client.post(
        f"/appels/gestion/criteres/{criterion.id}", data={"label_fr": "  "}, follow_redirects=True
    )
    assert response.status_code == 200
    db_session.expire_all()
    assert criterion.label_fr == "Ancrage"
