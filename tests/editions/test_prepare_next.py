"""Preparing the next edition copies the rules, never applications, stops or people."""

from datetime import date, time

from sqlalchemy import func, select

from coordination.calendar.models import ReminderRule
from coordination.campaigns.models import (
    Application,
    Call,
    CallCriterion,
    CallQuestion,
    CallReviewer,
    Edition,
    Review,
)
from coordination.core.clock import local_datetime, to_local, utcnow
from coordination.editions import services
from coordination.participants.models import NeedQuestion, Questionnaire
from coordination.stops.models import Stop, StopRules
from tests.campaigns.conftest import make_application


def _source(edition, make_user, make_territory):
    """The 2026 edition with every kind of rule, and things that must stay behind."""
    db = services.db
    db.session.add(
        StopRules(
            edition_id=edition.id,
            max_stops_per_week=2,
            max_km_per_day=250,
            is_august_break=False,
            is_parallel_allowed=True,
        )
    )
    db.session.add_all(
        [
            ReminderRule(edition_id=edition.id, audience="hosts", days_before=21),
            ReminderRule(edition_id=edition.id, audience="partners", days_before=3),
        ]
    )
    db.session.add(
        Questionnaire(
            edition_id=edition.id,
            intro="Vos besoins",
            is_active=False,
            questions=[
                NeedQuestion(
                    kind="scale", label_fr="Innovation ?", theme="innovation", position=10
                ),
                NeedQuestion(
                    kind="single_choice",
                    label_fr="Taille",
                    label_en="Size",
                    choices_text="PME | SME\nETI",
                    is_required=True,
                    position=20,
                ),
            ],
        )
    )
    call = Call(
        edition=edition,
        title="Appel 2026",
        description="Candidatez",
        # 9:00 in winter (CET) and noon in summer (CEST), Paris time.
        opens_at=local_datetime(date(2026, 3, 2), time(9, 0)),
        closes_at=local_datetime(date(2026, 4, 30), time(12, 0)),
        is_industry_only=False,
        is_same_region_review_excluded=True,
        reviews_per_application=3,
        questions=[CallQuestion(kind="long_text", label_fr="Filières", position=10)],
        criteria=[
            CallCriterion(label_fr="Ancrage", label_en="Roots", position=10),
            CallCriterion(label_fr="Ancien", position=20, is_retired=True),
            CallCriterion(label_fr="Projet", position=30),
        ],
    )
    db.session.add(call)
    db.session.flush()
    reviewer = make_user("r@example.org", roles=("reviewer",))
    contact = make_user("c@example.org", roles=("territory_contact",))
    application = make_application(call, make_territory(), [contact])
    db.session.add(
        Review(application=application, reviewer_id=reviewer.id, assigned_at=call.opens_at)
    )
    db.session.add(CallReviewer(call_id=call.id, user_id=reviewer.id))
    db.session.add(
        Stop(
            edition_id=edition.id,
            title="Étape",
            starts_at=local_datetime(date(2026, 9, 8), time(9, 0)),
            ends_at=local_datetime(date(2026, 9, 8), time(17, 0)),
        )
    )
    db.session.flush()
    return call


def test_prepare_next_copies_exactly_the_rules(
    client, staff, sign_in, edition, make_user, make_territory, db_session
):
    _source(edition, make_user, make_territory)
    sign_in(staff)
    form = client.get(f"/gestion/editions/{edition.id}/suivante").get_data(as_text=True)
    # Proposed: the same season of the coming year.
    year = max(2027, to_local(utcnow()).year + 1)
    assert f'name="starts_on" required type="date" value="{year}-06-01"' in form

    response = client.post(
        f"/gestion/editions/{edition.id}/suivante",
        data={
            "kind": "tour",
            "name": "Tournée 2027",
            "slug": "tournee-2027",
            "starts_on": "2027-05-31",  # 364 days later: same weekday
            "ends_on": "2027-10-29",
            "description": "La suite",
        },
    )
    assert response.status_code == 302
    new = db_session.scalar(select(Edition).where(Edition.slug == "tournee-2027"))
    assert response.headers["Location"] == f"/gestion/editions/{new.id}"
    assert (new.name, new.status, new.starts_on, new.ends_on, new.description) == (
        "Tournée 2027",
        "draft",
        date(2027, 5, 31),
        date(2027, 10, 29),
        "La suite",
    )

    rules = db_session.scalar(select(StopRules).where(StopRules.edition_id == new.id))
    assert (
        rules.max_stops_per_week,
        rules.max_km_per_day,
        rules.is_august_break,
        rules.is_parallel_allowed,
    ) == (2, 250, False, True)
    reminders = db_session.scalars(
        select(ReminderRule)
        .where(ReminderRule.edition_id == new.id)
        .order_by(ReminderRule.audience)
    ).all()
    assert [(r.audience, r.days_before) for r in reminders] == [("hosts", 21), ("partners", 3)]
    questionnaire = db_session.scalar(
        select(Questionnaire).where(Questionnaire.edition_id == new.id)
    )
    assert (questionnaire.intro, questionnaire.is_active) == ("Vos besoins", False)
    assert [
        (q.kind, q.label_fr, q.label_en, q.choices_text, q.is_required, q.theme, q.position)
        for q in questionnaire.questions
    ] == [
        ("scale", "Innovation ?", "", "", False, "innovation", 10),
        ("single_choice", "Taille", "Size", "PME | SME\nETI", True, "other", 20),
    ]

    (call,) = new.calls
    assert (call.title, call.description, call.is_industry_only) == (
        "Appel 2027",
        "Candidatez",
        False,
    )
    assert (call.is_same_region_review_excluded, call.reviews_per_application) == (True, 3)
    assert call.decisions_released_at is None
    # Same Paris wall-clock times, 364 days later.
    assert call.opens_at == local_datetime(date(2027, 3, 1), time(9, 0))
    assert call.closes_at == local_datetime(date(2027, 4, 29), time(12, 0))
    assert call.opens_at.isoformat() == "2027-03-01T08:00:00+00:00"
    assert call.closes_at.isoformat() == "2027-04-29T10:00:00+00:00"
    assert [(q.kind, q.label_fr, q.position) for q in call.questions] == [
        ("long_text", "Filières", 10)
    ]
    # Retired criteria stay with the old call's results.
    assert [(c.label_fr, c.label_en, c.is_retired) for c in call.criteria] == [
        ("Ancrage", "Roots", False),
        ("Projet", "", False),
    ]

    def count(model, *where):
        return db_session.scalar(select(func.count()).select_from(model).where(*where))

    assert count(Application, Application.call_id == call.id) == 0
    assert count(CallReviewer, CallReviewer.call_id == call.id) == 0
    assert count(Stop, Stop.edition_id == new.id) == 0
    assert count(Review) == 1
    assert count(Edition) == 2


def test_dates_shift_across_daylight_saving(edition):
    source_call = Call(
        edition=edition,
        title="Appel",
        opens_at=local_datetime(date(2026, 3, 20), time(9, 0)),  # CET
        closes_at=local_datetime(date(2026, 3, 21), time(9, 0)),
    )
    services.db.session.add(source_call)
    services.db.session.flush()
    new = services.prepare_next(
        edition,
        kind="tour",
        name="Suite",
        slug="suite",
        description="",
        starts_on=date(2026, 6, 15),  # 14 days later
        ends_on=date(2026, 11, 13),
    )
    (call,) = new.calls
    assert call.opens_at.isoformat() == "2026-04-03T07:00:00+00:00"  # 9:00 CEST


def test_preparing_with_a_taken_slug_is_refused(client, staff, sign_in, edition, db_session):
    sign_in(staff)
    response = client.post(
        f"/gestion/editions/{edition.id}/suivante",
        data={
            "kind": "tour",
            "name": "Suite",
            "slug": edition.slug,
            "starts_on": "2027-06-01",
            "ends_on": "2027-05-01",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "déjà ce nom court" in html
    assert "Le dernier jour vient avant le premier." in html
    assert db_session.scalar(select(func.count()).select_from(Edition)) == 1


def test_preparing_the_next_edition_carries_the_wording_of_its_messages(
    edition, make_user, db_session
):
    from coordination.notifications import overrides
    from coordination.notifications.models import MessageTemplate

    author = make_user("redaction@innovent-e.fr", roles=("staff",))
    now = utcnow()
    for locale, subject in (("fr", "Bienvenue {name}"), ("en", "Welcome {name}")):
        overrides.save_template(
            "campaigns/decision_accepted", edition.id, locale, subject, "Bravo !", author, now
        )
    overrides.save_template(
        "calendar/reminder", edition.id, "fr", "J-{days_left}", "À bientôt", author, now
    )
    # A shared wording (the club welcome) belongs to no edition: it stays as it is.
    overrides.save_template(
        "clubs/membership_approved", None, "fr", "Bienvenue", "Au club", author, now
    )
    new = services.prepare_next(
        edition,
        kind="tour",
        name="Suite",
        slug="suite",
        description="",
        starts_on=date(2027, 6, 1),
        ends_on=date(2027, 10, 1),
    )
    copied = db_session.scalars(
        select(MessageTemplate).where(MessageTemplate.edition_id == new.id)
    ).all()
    assert sorted((t.kind, t.locale, t.subject, t.body) for t in copied) == [
        ("calendar/reminder", "fr", "J-{days_left}", "À bientôt\n"),
        ("campaigns/decision_accepted", "en", "Welcome {name}", "Bravo !\n"),
        ("campaigns/decision_accepted", "fr", "Bienvenue {name}", "Bravo !\n"),
    ]
    assert {t.updated_by_id for t in copied} == {author.id}
    assert overrides.find_template("campaigns/decision_accepted", new.id, "en").subject == (
        "Welcome {name}"
    )
    # The source keeps its own; editing the new one leaves the old alone.
    overrides.reset_template("calendar/reminder", new.id, "fr")
    assert overrides.find_template("calendar/reminder", edition.id, "fr") is not None
    total = db_session.scalar(select(func.count()).select_from(MessageTemplate))
    assert total == 3 + 3 + 1 - 1
