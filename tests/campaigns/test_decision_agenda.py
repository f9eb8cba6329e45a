"""Decisions waiting for release: the agenda shows, without a time, what the release sends."""

from datetime import timedelta

from sqlalchemy import select

from coordination.campaigns import services
from coordination.campaigns.decisions import plan_decision_releases
from coordination.extensions import db
from coordination.notifications import agenda
from coordination.notifications.models import OutboxMessage
from tests.campaigns.conftest import make_application


def decision_messages():
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template.like("campaigns/decision%"))
        )
    )


def decided(call, make_territory, make_user, decisions):
    applications = []
    for number, decision in enumerate(decisions, start=1):
        members = [make_user(f"membre{call.id}-{number}-{i}@territoire.example") for i in (1, 2)]
        application = make_application(call, make_territory(f"Territoire {number}"), members)
        services.set_decision(application, decision)
        applications.append(application)
    return applications


def test_what_the_agenda_shows_pending_is_what_the_release_sends(
    call, make_territory, make_user, staff, now
):
    decided(call, make_territory, make_user, ["accepted", "rejected", "accepted"])
    make_application(call, make_territory("Sans décision"), [make_user("x@t.example")])
    items = plan_decision_releases([call.edition_id], now, now, now)
    assert sorted((item.item, len(item.recipients)) for item in items) == [
        ("applicants:accepted", 4),
        ("applicants:rejected", 2),
    ]
    assert all(item.planned_at is None and item.label == call.title for item in items)
    announced = {(r.key, r.email, item.template) for item in items for r in item.recipients}
    # The page's split: nothing timed, everything pending.
    timed, pending = agenda.planned_and_pending(call.edition_id, now, now, now)
    assert [i for i in timed if i.kind == "decision_release"] == []
    assert {i.item for i in pending if i.kind == "decision_release"} == {
        "applicants:accepted",
        "applicants:rejected",
    }
    assert services.release_decisions(call, now, staff) == 3
    messages = decision_messages()
    assert {(m.idempotency_key, m.to_email, m.template) for m in messages} == announced
    assert {m.reply_to for m in messages} == {staff.email}
    assert plan_decision_releases([call.edition_id], now, now, now) == []
    sent = agenda.sent_messages(call.edition_id, now - timedelta(days=1), now + timedelta(days=1))
    assert sorted(r.item for r in sent if r.kind == "decision_release") == sorted(
        ["applicants:accepted"] * 4 + ["applicants:rejected"] * 2
    )


def test_planning_runs_in_a_fixed_number_of_queries(
    make_call, make_territory, make_user, now, query_counter
):
    first = make_call()
    decided(first, make_territory, make_user, ["accepted"])

    def count():
        with query_counter() as planned:
            plan_decision_releases(None, now, now, now)
        return len(planned)

    with_one = count()
    for _number in range(3):
        decided(make_call(title="Autre appel"), make_territory, make_user, ["rejected"] * 2)
    assert count() == with_one


def test_the_agenda_page_lists_pending_decisions_in_french(
    client, staff, sign_in, call, make_territory, make_user
):
    decided(call, make_territory, make_user, ["accepted"])
    db.session.commit()
    sign_in(staff)
    client.post("/langue", data={"locale": "fr"})
    html = client.get(f"/equipe/courriels/agenda/{call.edition.slug}").get_data(as_text=True)
    assert "En attente d’un envoi par l’équipe" in html
    assert "Décisions à envoyer · Membres des candidatures · Appel test" in html
    assert f"membre{call.id}-1-1@territoire.example" in html
    assert '<option value="decision_release" >Décisions à envoyer</option>' in html
