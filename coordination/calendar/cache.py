"""Feeds cached in the database, and the light path that serves them.

Each feed's built text is kept in `feed_cache` with the generation it was built at. Every
transaction that changes a row any feed may show (stops, meetings, clubs, memberships,
contacts, users, tokens, registrations… every table but the logs and queues listed in
IGNORED) raises the one `feed_generation` row, at commit: all cached feeds then go stale
together, and the next request for each rebuilds it. A request reads the generation
before anything else, so a feed built from data older than a change is never filed under
the generation that follows it.

`FeedFastPath` wraps the WSGI app: a cookie-less GET of a cached feed is answered (200 or
304) from one indexed query, before Flask opens a session, loads a user or picks a locale.
"""

import threading
from collections import OrderedDict
from datetime import datetime

from sqlalchemy import event, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.http import http_date, parse_date, parse_etags

from coordination.calendar.models import FeedCache, FeedGeneration
from coordination.extensions import db

#: Tables no feed shows: their changes keep the cached feeds.
IGNORED = frozenset(
    {
        "feed_cache",
        "feed_generation",
        "outbox_messages",
        "outbox_pauses",
        "digest_runs",
        "login_tokens",
        "account_events",
        "planner_locks",
        "planner_runs",
        "invitation_replies",
        "stop_changes",
        "stop_warning_acknowledgements",
    }
)
PREFIX = "/calendrier/"
#: Bodies kept in each process, by ETag (an ETag always names the same bytes).
MEMORY_SIZE = 16


# --- Invalidation ------------------------------------------------------------------------


def _shown(instance) -> bool:
    table = getattr(instance, "__table__", None)
    return table is None or table.name not in IGNORED


def _note_pending(session: Session) -> None:
    if session.info.get("feeds_changed"):
        return
    for instance in (*session.new, *session.deleted):
        if _shown(instance):
            session.info["feeds_changed"] = True
            return
    for instance in session.dirty:
        if _shown(instance) and session.is_modified(instance):
            session.info["feeds_changed"] = True
            return


def _before_flush(session, _context, _instances) -> None:
    _note_pending(session)


def _on_execute(state) -> None:
    """Bulk INSERT/UPDATE/DELETE statements count too."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is None or getattr(table, "name", None) not in IGNORED:
        state.session.info["feeds_changed"] = True


def _before_commit(session: Session) -> None:
    # Changes first, the generation last: its row is then locked only for the commit, and
    # a transaction holding it never waits on another row (no deadlock).
    session.flush()
    if not session.info.pop("feeds_changed", False):
        return
    raised = session.execute(
        update(FeedGeneration)
        .where(FeedGeneration.id == 1)
        .values(value=FeedGeneration.value + 1)
        .execution_options(synchronize_session=False)
    )
    if raised.rowcount == 0:
        session.add(FeedGeneration(id=1, value=1))


def _forget(session: Session, *_args) -> None:
    session.info.pop("feeds_changed", None)


def listen() -> None:
    """Watch every session's changes (once per process)."""
    if event.contains(Session, "before_commit", _before_commit):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "do_orm_execute", _on_execute)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_rollback", _forget)


# --- Reading and filing ------------------------------------------------------------------


def current_generation() -> int:
    """The generation now (0 before the first change)."""
    value = db.session.scalar(select(FeedGeneration.value).where(FeedGeneration.id == 1))
    return value or 0


_LOOKUP = (
    select(FeedCache.etag, FeedCache.built_at, FeedCache.filename, FeedCache.cache_control)
    .join(FeedGeneration, (FeedGeneration.id == 1) & (FeedGeneration.value == FeedCache.generation))
    .where(FeedCache.key == db.bindparam("key"))
)
_BODY = select(FeedCache.body).where(
    FeedCache.key == db.bindparam("key"), FeedCache.etag == db.bindparam("etag")
)

_memory: OrderedDict[str, bytes] = OrderedDict()
_memory_lock = threading.Lock()


def _remember(etag: str, body: bytes) -> None:
    with _memory_lock:
        _memory[etag] = body
        _memory.move_to_end(etag)
        while len(_memory) > MEMORY_SIZE:
            _memory.popitem(last=False)


def lookup(connection, key: str):
    """(etag, built_at, filename, cache_control) of a current cached feed, else None."""
    return connection.execute(_LOOKUP, {"key": key}).first()


def body_of(connection, key: str, etag: str) -> bytes | None:
    """A cached feed's bytes, from this process's memory or the database."""
    with _memory_lock:
        body = _memory.get(etag)
    if body is None:
        body = connection.execute(_BODY, {"key": key, "etag": etag}).scalar()
        if body is not None:
            _remember(etag, body)
    return body


def store(
    key: str,
    generation: int,
    etag: str,
    body: bytes,
    filename: str,
    cache_control: str,
    now: datetime,
) -> None:
    """File a feed's bytes under the generation read before its data was."""
    values = dict(
        key=key,
        generation=generation,
        etag=etag,
        body=body,
        filename=filename,
        cache_control=cache_control,
        built_at=now,
    )
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(FeedCache).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[FeedCache.key], set_={k: v for k, v in values.items() if k != "key"}
    )
    db.session.execute(statement)
    _remember(etag, body)


def cache_key(locale: str, path: str) -> str:
    """What identifies a feed: the path (its token or slug) and the language of its name."""
    return f"{locale}:{path}"[:200]


def not_modified(
    etag: str, built_at: datetime, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """RFC 9110: If-None-Match decides when present, else If-Modified-Since."""
    if if_none_match:
        return parse_etags(if_none_match).contains_weak(etag)
    since = parse_date(if_modified_since) if if_modified_since else None
    return since is not None and built_at.replace(microsecond=0) <= since


def feed_headers(
    etag: str, built_at: datetime, filename: str, cache_control: str, full: bool
) -> list[tuple[str, str]]:
    """The headers of a feed answer, the same on both paths."""
    headers = [
        ("ETag", f'"{etag}"'),
        ("Last-Modified", http_date(built_at)),
        ("Cache-Control", cache_control),
        ("X-Content-Type-Options", "nosniff"),
    ]
    if full:
        headers += [
            ("Content-Type", "text/calendar; charset=utf-8"),
            ("Content-Disposition", f'inline; filename="{filename}"'),
        ]
    return headers


# --- The light path ----------------------------------------------------------------------


class FeedFastPath:
    """WSGI middleware: cached feeds without Flask's session, login or locale machinery."""

    def __init__(self, app, wsgi_app) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.engine = None

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or not path.startswith(PREFIX)
            or not path.endswith(".ics")
            or environ.get("HTTP_COOKIE")
            or environ.get("QUERY_STRING")
            or "\x00" in path
        ):
            return self.wsgi_app(environ, start_response)
        try:
            answer = self._answer(environ, path)
        except SQLAlchemyError:
            answer = None
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def _answer(self, environ, path: str):
        if self.engine is None:
            with self.app.app_context():
                self.engine = db.engine
        key = cache_key("fr", path)
        with self.engine.connect().execution_options(read_only=True) as connection:
            found = lookup(connection, key)
            if found is None:
                return None
            etag, built_at, filename, cache_control = found
            if not_modified(
                etag,
                built_at,
                environ.get("HTTP_IF_NONE_MATCH"),
                environ.get("HTTP_IF_MODIFIED_SINCE"),
            ):
                headers = feed_headers(etag, built_at, filename, cache_control, full=False)
                return "304 NOT MODIFIED", headers, b""
            body = body_of(connection, key, etag)
        if body is None:
            return None
        headers = feed_headers(etag, built_at, filename, cache_control, full=True)
        headers.append(("Content-Length", str(len(body))))
        return "200 OK", headers, body
