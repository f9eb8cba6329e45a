"""Staff's wording of a message for an edition: check, save, return to the default, preview."""

import re
from datetime import datetime

from flask import current_app, g
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from coordination.extensions import db
from coordination.notifications import markup
from coordination.notifications.catalogue import KINDS, MessageKind
from coordination.notifications.models import MessageTemplate
from coordination.notifications.rendering import RenderedEmail

MAX_SUBJECT = 300
MAX_BODY = 10_000


class TemplateError(ValueError):
    """Wording that cannot be saved; `messages` says every reason, in the user's language."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def locales() -> list[str]:
    """The languages a wording exists in (French first)."""
    return list(current_app.config["LANGUAGES"])


def _edition_key(kind: MessageKind, edition_id: int | None) -> int | None:
    return None if kind.shared else edition_id


def preload_wordings(edition_id: int) -> None:
    """Read an edition's and the shared wordings in one query for the rest of this request
    (a read-only page rendering many previews, such as the agenda)."""
    rows = db.session.scalars(
        select(MessageTemplate).where(
            (MessageTemplate.edition_id == edition_id) | MessageTemplate.edition_id.is_(None)
        )
    )
    g.preloaded_wordings = (
        {None, edition_id},
        {(row.kind, row.edition_id, row.locale): row for row in rows},
    )


def find_template(kind: str, edition_id: int | None, locale: str) -> MessageTemplate | None:
    """Staff's wording of a kind for an edition and language, if any."""
    entry = KINDS[kind]
    edition_id = _edition_key(entry, edition_id)
    if edition_id is None and not entry.shared:
        return None
    editions, preloaded = g.get("preloaded_wordings", ((), {}))
    if edition_id in editions:
        return preloaded.get((kind, edition_id, locale))
    return db.session.scalar(
        select(MessageTemplate).where(
            MessageTemplate.kind == kind,
            MessageTemplate.locale == locale,
            MessageTemplate.edition_id.is_(None)
            if edition_id is None
            else MessageTemplate.edition_id == edition_id,
        )
    )


def template_for(kind: str, locale: str, context: dict) -> MessageTemplate | None:
    """The wording that replaces the file template for this message, if staff wrote one."""
    entry = KINDS.get(kind)
    if entry is None:
        return None
    return find_template(kind, None if entry.shared else entry.edition_of(context), locale)


def check(kind: str, subject: str, body: str) -> list[str]:
    """Every problem of a wording, as messages for the person typing it."""
    allowed = set(KINDS[kind].variables)
    messages = []
    for label, source in ((_("Subject"), subject), (_("Message"), body)):
        for problem in markup.problems(source, allowed):
            if problem.kind == "unknown":
                messages.append(
                    _(
                        "%(field)s: {%(name)s} is not a variable of this message.",
                        field=label,
                        name=problem.text,
                    )
                )
            else:
                messages.append(
                    _(
                        "%(field)s: “%(text)s” is not a variable: write {name} with a name "
                        "from the list, and no other braces.",
                        field=label,
                        text=problem.text,
                    )
                )
    if not subject.strip():
        messages.append(_("Write a subject."))
    if not body.strip():
        messages.append(_("Write the message."))
    if len(subject) > MAX_SUBJECT or "\n" in subject.strip():
        messages.append(_("The subject is one line of at most 300 characters."))
    if len(body) > MAX_BODY:
        messages.append(_("The message is at most 10,000 characters."))
    return messages


def save_template(
    kind: str, edition_id: int | None, locale: str, subject: str, body: str, by, now: datetime
) -> MessageTemplate:
    """Check and store staff's wording (replacing the previous one); no commit."""
    if kind not in KINDS or locale not in locales():
        raise TemplateError([_("This message cannot be edited.")])
    messages = check(kind, subject, body)
    if messages:
        raise TemplateError(messages)
    row = find_template(kind, edition_id, locale)
    if row is None:
        row = MessageTemplate(
            kind=kind, locale=locale, edition_id=_edition_key(KINDS[kind], edition_id)
        )
        db.session.add(row)
    row.subject = " ".join(subject.split())
    row.body = body.replace("\r\n", "\n").strip() + "\n"
    row.updated_by_id = by.id if by is not None else None
    row.updated_at = now
    db.session.flush()
    return row


def copy_wordings(source_id: int, target_id: int) -> int:
    """Give a new edition the wordings staff wrote for another (preparing the next one);
    the shared kinds are every edition's already. No commit; the number copied."""
    rows = db.session.scalars(
        select(MessageTemplate)
        .where(MessageTemplate.edition_id == source_id)
        .order_by(MessageTemplate.id)
    ).all()
    for row in rows:
        db.session.add(
            MessageTemplate(
                edition_id=target_id,
                kind=row.kind,
                locale=row.locale,
                subject=row.subject,
                body=row.body,
                updated_by_id=row.updated_by_id,
                updated_at=row.updated_at,
            )
        )
    db.session.flush()
    return len(rows)


def reset_template(kind: str, edition_id: int | None, locale: str) -> bool:
    """Return to the file template: remove staff's wording (no commit); False if none."""
    row = find_template(kind, edition_id, locale)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    return True


def render_wording(kind: str, subject: str, body: str, locale: str, context: dict) -> RenderedEmail:
    """A message from staff's wording: values substituted, HTML escaped, the usual frame."""
    entry = KINDS[kind]
    env = current_app.jinja_env
    with force_locale(locale):
        values = entry.values(context)
        text = markup.render_text(body, values).strip()
        note = values.get("personal_note", "")
        if note and "{personal_note}" not in body:
            # A personal note is never lost because the wording forgot it.
            body = f"{body.rstrip()}\n\n{{personal_note}}"
            text = markup.render_text(body, values).strip()
        # An empty value (no personal note) leaves no hole of blank lines.
        text = re.sub(r"\n\s*\n(\s*\n)+", "\n\n", text)
        frame = {"locale": locale, "body_text": text, "body_html": markup.render_html(body, values)}
        current_app.update_template_context(frame)
        text = env.get_template("emails/wording.txt").render(frame)
        html = env.get_template("emails/wording.html").render(frame)
        rendered_subject = " ".join(markup.render_text(subject, values).split())
    return RenderedEmail(subject=rendered_subject, text=text.strip() + "\n", html=html)


def preview(edition, kind: str, locale: str, subject: str | None = None, body: str | None = None):
    """The message of a real example of the edition: typed wording, saved one or default."""
    from coordination.notifications.rendering import render_email

    context = KINDS[kind].example(edition)
    if context is None:
        return None
    if subject is not None and body is not None:
        return render_wording(kind, subject, body, locale, context)
    return render_email(kind, locale, context)
