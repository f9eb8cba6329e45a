"""Conflicts of interest: no one reviews a territory they are a contact of, or applies for
a territory they review."""

import pytest
from sqlalchemy import select

from coordination.campaigns import services
from coordination.campaigns.models import Application
from coordination.campaigns.services import CampaignError
from tests.campaigns.conftest import complete_answers, make_application


def test_manual_assignment_refuses_a_contact_of_the_territory(
    call, make_call, make_territory, make_user, contact, now
):
    reviewer = make_user("r@example.org", roles=("reviewer",))
    services.add_reviewer(call, reviewer, None)
    pithiverais = make_territory("Pithiverais", "24")
    # The reviewer applied for this territory once, to another call: they are its contact.
    make_application(make_call(), pithiverais, [reviewer], status="draft")
    application = make_application(call, pithiverais, [contact])
    with pytest.raises(CampaignError, match="contact du territoire de la candidature"):
        services.assign_reviewer(application, reviewer, now)
    assert application.reviews == []
    other = make_application(call, make_territory("Beauce", "24"), [contact])
    assert services.assign_reviewer(other, reviewer, now).reviewer_id == reviewer.id


def test_auto_assignment_skips_reviewers_who_are_contacts_of_the_territory(
    call, make_call, make_territory, make_user, contact, now
):
    call.reviews_per_application = 2
    first = make_user("r1@example.org", roles=("reviewer",))
    second = make_user("r2@example.org", roles=("reviewer",))
    third = make_user("r3@example.org", roles=("reviewer",))
    for reviewer in (first, second, third):
        services.add_reviewer(call, reviewer, None)
    pithiverais = make_territory("Pithiverais", "24")
    beauce = make_territory("Beauce", "24")
    make_application(make_call(), pithiverais, [first], status="draft")
    make_application(make_call(), beauce, [second], status="draft")
    one = make_application(call, pithiverais, [contact])
    two = make_application(call, beauce, [contact])
    assert services.auto_assign(call, now) == 4
    assert first.id not in {r.reviewer_id for r in one.reviews}
    assert second.id not in {r.reviewer_id for r in two.reviews}
    assert len(one.reviews) == len(two.reviews) == 2


def test_a_reviewer_of_a_territory_cannot_apply_for_it_and_is_told_why(
    client, call, make_territory, make_user, contact, sign_in, now, db_session
):
    reviewer = make_user("r@example.org", roles=("reviewer",))
    services.add_reviewer(call, reviewer, None)
    pithiverais = make_territory("Pithiverais", "24")
    reviewed = make_application(call, pithiverais, [contact])
    services.assign_reviewer(reviewed, reviewer, now)
    db_session.commit()
    sign_in(reviewer)
    response = client.post(
        f"/appels/{call.id}/candidature",
        data={"action": "submit", **complete_answers(pithiverais.id)},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Vous relisez les candidatures de ce territoire pour cet appel" in body
    assert "Salle des fêtes" in body  # what was typed stays
    mine = db_session.scalar(
        select(Application).where(Application.call_id == call.id, Application.id != reviewed.id)
    )
    assert mine is None or mine.territory_id != pithiverais.id
    # Another territory is fine.
    beauce = make_territory("Beauce", "24")
    db_session.commit()
    response = client.post(
        f"/appels/{call.id}/candidature",
        data={"action": "submit", **complete_answers(beauce.id)},
    )
    assert response.status_code == 302


def test_a_reviewer_of_the_territory_cannot_be_invited_onto_its_application(
    call, make_territory, make_user, contact, now
):
    reviewer = make_user("r@example.org", roles=("reviewer",))
    services.add_reviewer(call, reviewer, None)
    pithiverais = make_territory("Pithiverais", "24")
    services.assign_reviewer(
        make_application(call, pithiverais, [make_user("a@x.org")]), reviewer, now
    )
    draft = make_application(call, pithiverais, [contact], status="draft")
    with pytest.raises(CampaignError, match="r@example.org relit les candidatures"):
        services.invite_member(draft, "r@example.org", now)
    assert reviewer not in draft.members
