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


def test_outbox_filters_sorts_and_pages_from_the_address(
    client, staff, sign_in, now, query_counter, monkeypatch
):
    from dataclasses import replace

    from coordination.notifications import lists

    for index in range(5):
        queue(f"k{index}", now, f"person{index}@example.org")
    sign_in(staff)
    body = client.get("/equipe/courriels/?q=person3").get_data(as_text=True)
    assert "person3@example.org" in body and "person2@example.org" not in body
    body = client.get("/equipe/courriels/?sort=to").get_data(as_text=True)
    assert body.index("person0@") < body.index("person4@")
    day = now.date().isoformat()
    assert "person1@" in client.get(f"/equipe/courriels/?since={day}&until={day}").get_data(
        as_text=True
    )
    assert "person1@" not in client.get("/equipe/courriels/?until=2001-01-01").get_data(
        as_text=True
    )
    assert "person1@" in client.get("/equipe/courriels/?kind=notifications/test").get_data(
        as_text=True
    )
    monkeypatch.setattr(lists, "OUTBOX", replace(lists.OUTBOX, page_size=2))
    first = client.get("/equipe/courriels/").get_data(as_text=True)
    assert first.count("data-message-id=") == 2 and 'rel="next"' in first
    with query_counter() as few:
        client.get("/equipe/courriels/?page=2")
    for index in range(5, 15):
        queue(f"k{index}", now, f"person{index}@example.org")
    with query_counter() as many:
        client.get("/equipe/courriels/?page=3")
    assert len(few) == len(many)


def test_outbox_bad_values_are_ignored(client, staff, sign_in, now):
    queue("a", now)
    sign_in(staff)
    for query in ("since=2026-13-45", "until=99999-01-01", "sort=-nope", "page=0", "kind=%27"):
        response = client.get(f"/equipe/courriels/?{query}")
        assert response.status_code == 200, query
        assert "someone@example.org" in response.get_data(as_text=True)


def test_outbox_bulk_retry_requeues_only_failed_ones(client, staff, sign_in, now, db_session):
    failed = queue("f", now, "failed@example.org")
    failed.status = MessageStatus.FAILED
    failed.attempts = 5
    sent = queue("s", now, "sent@example.org")
    sent.status = MessageStatus.SENT
    sign_in(staff)
    response = client.post(
        "/equipe/courriels/selection",
        data={"ids": [str(failed.id), str(sent.id)], "back": "status=failed&sort=to"},
    )
    assert response.headers["Location"].endswith("/equipe/courriels/?status=failed&sort=to")
    db_session.refresh(failed)
    db_session.refresh(sent)
    assert (failed.status, failed.attempts, sent.status) == ("pending", 0, "sent")


def test_outbox_bulk_retry_is_for_staff_only(client, make_user, sign_in, now):
    failed = queue("f", now)
    failed.status = MessageStatus.FAILED
    sign_in(make_user("p@example.org", roles=("partner_contact",)))
    response = client.post("/equipe/courriels/selection", data={"ids": [str(failed.id)]})
    assert response.status_code in (302, 403)
    assert failed.status == MessageStatus.FAILED
