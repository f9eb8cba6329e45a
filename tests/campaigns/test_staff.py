"""Staff: calls with extra questions; review, ranking, decisions, export, reminders, digest."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination.campaigns import digest, services
from coordination.campaigns.models import Call, CallQuestion
from coordination.campaigns.services import CampaignError
from coordination.notifications.models import OutboxMessage
from tests.campaigns.conftest import add_question, make_application


def test_staff_opens_a_call_in_paris_time(client, staff, sign_in, call, db_session):
    sign_in(staff)
    response = client.post(
        "/appels/gestion/nouveau",
        data={
            "edition_id": call.edition_id,
            "title": "Appel 2028",
            "description": "Candidatez **vite**",
            "opens_at": "2027-03-01T09:00",
            "closes_at": "2027-04-30T12:00",
            "is_industry_only": "0",
            "criteria_text": "Ancrage | Roots\nPartenaires",
            "reviews_per_application": "3",
            "is_same_region_review_excluded": "y",
        },
    )
    assert response.status_code == 302
    created = db_session.scalar(select(Call).where(Call.title == "Appel 2028"))
    assert created.closes_at.isoformat() == "2027-04-30T10:00:00+00:00"  # CEST, UTC+2
    assert created.opens_at.isoformat() == "2027-03-01T08:00:00+00:00"  # CET, UTC+1
    assert created.is_industry_only is False
    assert [(c.label_fr, c.label_en, c.is_retired) for c in created.criteria] == [
        ("Ancrage", "Roots", False),
        ("Partenaires", "", False),
    ]
    assert created.reviews_per_application == 3
    assert created.is_same_region_review_excluded is True


def test_call_with_deadline_before_opening_shows_error(client, staff, sign_in, call):
    sign_in(staff)
    response = client.post(
        "/appels/gestion/nouveau",
        data={
            "edition_id": call.edition_id,
            "title": "Appel",
            "opens_at": "2027-03-01T09:00",
            "closes_at": "2027-02-01T12:00",
            "is_industry_only": "1",
            "reviews_per_application": "2",
        },
    )
    assert response.status_code == 200
    assert 'id="closes_at-error"' in response.get_data(as_text=True)


def test_staff_adds_orders_and_deletes_questions(client, staff, sign_in, call, db_session):
    sign_in(staff)
    for label in ("Budget", "Filières"):
        response = client.post(
            f"/appels/gestion/{call.id}/questions",
            data={"kind": "short_text", "label_fr": label, "label_en": "", "is_required": "y"},
        )
        assert response.status_code == 302
    response = client.post(
        f"/appels/gestion/{call.id}/questions",
        data={"kind": "single_choice", "label_fr": "Choix", "choices_text": ""},
    )
    assert response.status_code == 422
    assert 'id="choices_text-error"' in response.get_data(as_text=True)
    db_session.expire_all()
    first, second = call.questions
    assert (first.label_fr, second.label_fr) == ("Budget", "Filières")
    client.post(f"/appels/gestion/questions/{second.id}/monter")
    db_session.expire_all()
    assert [q.label_fr for q in call.questions] == ["Filières", "Budget"]
    client.post(f"/appels/gestion/questions/{first.id}/supprimer")
    assert db_session.scalars(select(CallQuestion.label_fr)).all() == ["Filières"]


def test_extra_questions_appear_in_the_form_in_english(client, call, contact, sign_in):
    add_question(call, "single_choice", "Taille", choices="Petite | Small\nGrande | Large")
    sign_in(contact)
    client.post("/langue", data={"locale": "en"})
    body = client.get(f"/appels/{call.id}/candidature").get_data(as_text=True)
    assert "Small" in body
    assert 'value="Petite"' in body


def test_call_description_markdown_is_rendered_safely(client, make_call):
    call = make_call(description="**Gras** <script>alert(1)</script> [lien](javascript:alert(1))")
    body = client.get(f"/appels/{call.id}").get_data(as_text=True)
    assert "<strong>Gras</strong>" in body
    assert "<script>alert(1)" not in body
    assert 'href="javascript:' not in body


def _panel(call, make_user, now):
    first = make_user("r1@example.org", roles=("reviewer",))
    second = make_user("r2@example.org", roles=("reviewer",))
    third = make_user("r3@example.org", roles=("reviewer",))
    services.add_reviewer(call, first, "24")
    services.add_reviewer(call, second, "32")
    services.add_reviewer(call, third, None)
    return first, second, third


def test_auto_assign_balances_load_and_skips_own_region(
    call, make_territory, make_user, contact, now
):
    call.is_same_region_review_excluded = True
    call.reviews_per_application = 2
    first, second, third = _panel(call, make_user, now)
    centre = make_application(call, make_territory("Centre", "24"), [contact])
    north = [make_application(call, make_territory(f"Nord {i}", "32"), [contact]) for i in range(2)]
    assert services.auto_assign(call, now) == 6
    assert {r.reviewer_id for r in centre.reviews} == {second.id, third.id}
    for application in north:
        assert second.id not in {r.reviewer_id for r in application.reviews}
    load = [
        sum(r.reviewer_id == u.id for a in [centre, *north] for r in a.reviews)
        for u in (first, second, third)
    ]
    assert load == [2, 1, 3]
    assert services.auto_assign(call, now) == 0


def test_manual_assignment_refuses_own_region(call, make_territory, make_user, contact, now):
    call.is_same_region_review_excluded = True
    first, _second, _third = _panel(call, make_user, now)
    application = make_application(call, make_territory("Centre", "24"), [contact])
    with pytest.raises(CampaignError):
        services.assign_reviewer(application, first, now)


def test_reviewer_scores_and_staff_sees_mean_spread_and_ranking(
    client, call, make_territory, make_user, contact, staff, sign_in, now, db_session
):
    reviewer = make_user("r@example.org", roles=("reviewer",))
    other = make_user("o@example.org", roles=("reviewer",))
    strong = make_application(call, make_territory("Fort"), [contact])
    weak = make_application(call, make_territory("Faible"), [contact])
    first, second = call.criteria
    review = services.assign_reviewer(strong, reviewer, now)
    services.save_review(
        services.assign_reviewer(strong, other, now), {first.id: 2, second.id: 2}, "", now
    )
    services.save_review(
        services.assign_reviewer(weak, other, now), {first.id: 1, second.id: 0}, "", now
    )
    sign_in(reviewer)
    assert client.get("/appels/relectures").status_code == 200
    response = client.post(
        f"/appels/relectures/{review.id}",
        data={f"score_{first.id}": "4", f"score_{second.id}": "5", "comment": "Bien"},
    )
    assert response.status_code == 302
    db_session.refresh(review)
    assert review.scores == {str(first.id): 4, str(second.id): 5}
    ranked = services.ranking([weak, strong])
    assert [(s.application.id, s.rank, s.mean, s.spread) for s in ranked] == [
        (strong.id, 1, 3.25, 1.25),
        (weak.id, 2, 0.5, 0.0),
    ]
    client.post("/deconnexion")
    sign_in(staff)
    body = client.get(f"/appels/gestion/{call.id}/candidatures").get_data(as_text=True)
    assert body.index(f'data-application-id="{strong.id}"') < body.index(
        f'data-application-id="{weak.id}"'
    )
    assert "3.25" in body


def test_review_with_score_out_of_range_is_refused(call, territory, make_user, contact, now):
    reviewer = make_user("r@example.org", roles=("reviewer",))
    review = services.assign_reviewer(make_application(call, territory, [contact]), reviewer, now)
    with pytest.raises(CampaignError):
        services.save_review(review, {call.criteria[0].id: 6, call.criteria[1].id: 2}, "", now)


def test_decisions_stay_pending_until_released_together(
    client, call, make_territory, make_user, staff, sign_in, db_session
):
    first_contact = make_user("a@territoire.example", roles=("territory_contact",))
    second_contact = make_user("b@territoire.example", roles=("territory_contact",))
    accepted = make_application(call, make_territory("Un"), [first_contact])
    rejected = make_application(call, make_territory("Deux"), [second_contact])
    sign_in(staff)
    client.post(f"/appels/candidatures/{accepted.id}/decision", data={"decision": "accepted"})
    client.post(f"/appels/candidatures/{rejected.id}/decision", data={"decision": "rejected"})
    decision_mail = select(OutboxMessage).where(OutboxMessage.template.like("campaigns/decision%"))
    assert db_session.scalars(decision_mail).all() == []
    preview = client.get(f"/appels/gestion/{call.id}/decisions").get_data(as_text=True)
    assert "a@territoire.example" in preview and "b@territoire.example" in preview
    assert client.post(f"/appels/gestion/{call.id}/decisions").status_code == 302
    messages = db_session.scalars(decision_mail.order_by(OutboxMessage.to_email)).all()
    assert [(m.to_email, m.template, m.reply_to) for m in messages] == [
        ("a@territoire.example", "campaigns/decision_accepted", staff.email),
        ("b@territoire.example", "campaigns/decision_rejected", staff.email),
    ]
    client.post(f"/appels/gestion/{call.id}/decisions")
    assert len(db_session.scalars(decision_mail).all()) == 2
    db_session.refresh(accepted)
    assert accepted.decision_released_at is not None


def test_applicant_sees_decision_only_once_released(client, call, territory, contact, sign_in, now):
    application = make_application(call, territory, [contact])
    services.set_decision(application, "accepted")
    sign_in(contact)
    body = client.get(f"/appels/candidatures/{application.id}").get_data(as_text=True)
    assert 'data-status="submitted"' in body
    services.release_decisions(call, now)
    body = client.get(f"/appels/candidatures/{application.id}").get_data(as_text=True)
    assert 'data-status="accepted"' in body


def test_export_csv_opens_in_french_excel(
    client, call, territory, make_user, contact, staff, sign_in, now
):
    reviewer = make_user("r@example.org", roles=("reviewer",))
    application = make_application(call, territory, [contact])
    services.save_review(
        services.assign_reviewer(application, reviewer, now),
        {call.criteria[0].id: 3, call.criteria[1].id: 4},
        "",
        now,
    )
    sign_in(staff)
    response = client.get(f"/appels/gestion/{call.id}/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    header, row = rows
    assert row[4] == "Pithiverais"
    assert row[0] == str(application.id)
    assert row[-3:] == ["3,50", "0,00", "1/1"]


def test_draft_reminders_go_7_days_and_1_day_before_each_once(call, territory, contact, db_session):
    application = make_application(call, territory, [contact], status="draft")
    make_application(call, None, [contact], status="withdrawn")
    seven_days_before = call.closes_at - timedelta(days=7)
    assert services.send_draft_reminders(seven_days_before - timedelta(minutes=1)) == 0
    assert services.send_draft_reminders(seven_days_before) == 1
    assert services.send_draft_reminders(seven_days_before + timedelta(hours=1)) == 0
    assert services.send_draft_reminders(call.closes_at - timedelta(hours=23)) == 1
    assert services.send_draft_reminders(call.closes_at - timedelta(hours=1)) == 0
    assert services.send_draft_reminders(call.closes_at) == 0
    keys = db_session.scalars(
        select(OutboxMessage.idempotency_key)
        .where(OutboxMessage.template == "campaigns/draft_reminder")
        .order_by(OutboxMessage.id)
    ).all()
    assert keys == [
        f"campaigns:draft-reminder:{application.id}:user:{contact.id}:P7D",
        f"campaigns:draft-reminder:{application.id}:user:{contact.id}:P1D",
    ]


def test_digest_sections_list_new_submissions_and_waiting_reviews(
    call, territory, make_user, contact, now
):
    reviewer = make_user("r@example.org", roles=("reviewer",), name="Dominique")
    application = make_application(call, territory, [contact], submitted_at=now)
    services.assign_reviewer(application, reviewer, now)
    items = digest.new_submissions(now - timedelta(days=1), now + timedelta(seconds=1))
    assert [i.text for i in items] == ["Pithiverais — Appel test"]
    assert items[0].url == f"http://localhost/appels/candidatures/{application.id}"
    (waiting,) = digest.reviews_waiting(now, now)
    assert "Dominique" in str(waiting.text)
    assert digest.new_submissions(now + timedelta(seconds=1), now + timedelta(days=1)) == []
