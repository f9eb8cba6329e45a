from sqlalchemy import select

from coordination.notifications.models import MessageStatus, OutboxMessage
from coordination.notifications.services import queue_email


def queue(key, now, to="someone@example.org"):
    return queue_email(
        key=key,
        template="notifications/test",
        to_email=to,
        context={"backend": "console", "now": now},
        now=now,
    )


def test_outbox_lists_messages_and_filters_by_status(client, staff, sign_in, db_session, now):
    queue("a", now, "pending@example.org")
    failed = queue("b", now, "failed@example.org")
    failed.status = MessageStatus.FAILED
    sign_in(staff)
    everything = client.get("/equipe/courriels/").get_data(as_text=True)
    only_failed = client.get("/equipe/courriels/?status=failed").get_data(as_text=True)
    assert "pending@example.org" in everything and "failed@example.org" in everything
    assert "failed@example.org" in only_failed
    assert "pending@example.org" not in only_failed


def test_outbox_ignores_an_unknown_status_filter(client, staff, sign_in, now):
    queue("a", now)
    sign_in(staff)
    response = client.get("/equipe/courriels/?status=<script>")
    assert response.status_code == 200
    assert "someone@example.org" in response.get_data(as_text=True)


def test_outbox_list_queries_do_not_grow_with_messages(client, staff, sign_in, now, query_counter):
    sign_in(staff)
    queue("first", now)
    with query_counter() as one:
        client.get("/equipe/courriels/")
    queue("second", now)
    queue("third", now)
    with query_counter() as three:
        client.get("/equipe/courriels/")
    assert len(one) == len(three)


def test_message_page_shows_text_and_frames_the_html(client, staff, sign_in, now):
    message = queue("a", now)
    sign_in(staff)
    page = client.get(f"/equipe/courriels/{message.id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ce message d’essai est passé par la file d’envoi" in body
    assert f'src="/equipe/courriels/{message.id}/html"' in body
    html = client.get(f"/equipe/courriels/{message.id}/html")
    assert html.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "sandbox" in html.headers["Content-Security-Policy"]
    assert html.get_data(as_text=True) == message.html_body


def test_unknown_message_is_a_404(client, staff, sign_in):
    sign_in(staff)
    assert client.get("/equipe/courriels/999999").status_code == 404


def test_staff_retries_a_failed_message(client, staff, sign_in, db_session, now):
    message = queue("a", now)
    message.status = MessageStatus.FAILED
    message.last_error = "SendGrid 400: to: invalid"
    sign_in(staff)
    response = client.post(f"/equipe/courriels/{message.id}/relancer")
    assert response.status_code == 302
    db_session.expire_all()
    stored = db_session.scalar(select(OutboxMessage).where(OutboxMessage.id == message.id))
    assert stored.status == MessageStatus.PENDING


def test_retry_of_a_sent_message_changes_nothing(client, staff, sign_in, db_session, now):
    message = queue("a", now)
    message.status = MessageStatus.SENT
    sign_in(staff)
    client.post(f"/equipe/courriels/{message.id}/relancer")
    db_session.expire_all()
    assert db_session.get(OutboxMessage, message.id).status == MessageStatus.SENT
