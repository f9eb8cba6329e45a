"""The commands staff and operators run."""

from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.campaigns.models import Edition
from coordination.demo import DEMO_ACCOUNTS
from coordination.notifications.models import MessageStatus, OutboxMessage


def test_mail_test_queues_a_message_and_outbox_deliver_sends_it(app, db_session):
    runner = app.test_cli_runner()
    queued = runner.invoke(args=["mail", "test", "ops@example.org"])
    assert queued.exit_code == 0, queued.output
    assert "ops@example.org" in queued.output
    message = db_session.scalar(select(OutboxMessage))
    assert (message.to_email, message.status) == ("ops@example.org", MessageStatus.PENDING)

    delivered = runner.invoke(args=["outbox", "deliver"])
    assert delivered.exit_code == 0, delivered.output
    assert f"sent: #{message.id} to ops@example.org" in delivered.output
    assert delivered.output.strip().endswith("1 sent, 0 to retry, 0 failed")
    db_session.expire_all()
    assert db_session.get(OutboxMessage, message.id).status == MessageStatus.SENT


def test_demo_data_loads_once(app, db_session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    users = db_session.scalar(select(func.count()).select_from(User))
    messages = db_session.scalar(select(func.count()).select_from(OutboxMessage))
    second = runner.invoke(args=["demo", "load"])
    assert first.output.strip() == "demo data loaded", first.output
    assert second.output.strip() == "demo data already present"
    assert db_session.scalar(select(func.count()).select_from(User)) == users
    assert db_session.scalar(select(func.count()).select_from(OutboxMessage)) == messages
    demo_accounts = {email for email, _roles in DEMO_ACCOUNTS}
    assert demo_accounts <= set(db_session.scalars(select(User.email)))
    slugs = set(db_session.scalars(select(Edition.slug)))
    # 2019, the coming edition, the one after prepared from it, the week of innovation
    # and the forum.
    assert "tournee-2019" in slugs and len(slugs) == 5
    assert any(slug.startswith("forum-peak-") for slug in slugs)


def test_geo_load_is_safe_to_rerun(app, db_session):
    result = app.test_cli_runner().invoke(args=["geo", "load"])
    assert result.exit_code == 0
    assert "communes: 0 created, 0 updated, 34875 unchanged" in result.output
