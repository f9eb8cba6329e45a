"""The outbox: one row per email to one recipient, written with the change that causes it."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.clock import utcnow
from coordination.extensions import db


class MessageStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


#: What people read for each status (the only place that names them).
MESSAGE_STATUS_LABELS = {
    MessageStatus.PENDING: _l("Waiting to be sent"),
    MessageStatus.SENDING: _l("Being sent"),
    MessageStatus.SENT: _l("Sent"),
    MessageStatus.FAILED: _l("Failed"),
}


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        # The delivery job's claim reads exactly this.
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unique per message, e.g. "reminder:stop:42:user:7:P14D:2026-06-05T09:00".
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    #: Template name, e.g. "auth/login_link"; also used as the mail category.
    template: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    to_email: Mapped[str] = mapped_column(String(254), index=True)
    to_name: Mapped[str] = mapped_column(String(200), default="")
    from_email: Mapped[str] = mapped_column(String(254))
    from_name: Mapped[str] = mapped_column(String(200), default="")
    #: The person behind the message; replies go to them, not to the platform.
    reply_to: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    subject: Mapped[str] = mapped_column(String(500))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    #: iTIP method (REQUEST, CANCEL…) of the calendar part, if any.
    calendar_method: Mapped[str | None] = mapped_column(String(20))
    calendar_ics: Mapped[str | None] = mapped_column(Text)
    #: [{"filename", "content_type", "content_b64"}]
    attachments: Mapped[list] = mapped_column(JSON, default=list)

    status: Mapped[str] = mapped_column(String(10), default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: A worker's claim; once it has passed, another worker may take the message again.
    lease_expires_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_message_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    #: Extra headers the backends add (List-Unsubscribe…), name -> value.
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The provider's last word on it (delivered, bounce, dropped, spamreport…), if any.
    delivery_status: Mapped[str | None] = mapped_column(String(20))

    @property
    def status_label(self):
        return MESSAGE_STATUS_LABELS.get(self.status, self.status)


class OutboxPause(db.Model):
    """A provider's rate limit: no worker sends through it before `paused_until`."""

    __tablename__ = "outbox_pauses"

    #: The MAIL_BACKEND the limit applies to ("sendgrid"…): one row each, kept once set.
    backend: Mapped[str] = mapped_column(String(20), primary_key=True)
    paused_until: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DigestRun(db.Model):
    """One scheduled digest slot for one staff member: makes digests go out once each."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("user_id", "slot_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    frequency: Mapped[str] = mapped_column(String(10))
    #: The local 07:30 (or configured hour) this digest stands for, in UTC.
    slot_at: Mapped[datetime]
    #: Start of the period it covers: the previous slot it was built for.
    period_start_at: Mapped[datetime]
    #: The outbox message's idempotency key; empty when there was nothing to say.
    message_key: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageTemplate(db.Model):
    """Staff's wording of one kind of message for one edition and language (else the file)."""

    __tablename__ = "message_templates"
    __table_args__ = (UniqueConstraint("edition_id", "kind", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: NULL for kinds shared by every edition (a club is not tied to one).
    edition_id: Mapped[int | None] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    #: The file template it replaces, e.g. "campaigns/decision_accepted".
    kind: Mapped[str] = mapped_column(String(100))
    locale: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(300))
    #: Plain text with {variables}; see notifications/markup.py.
    body: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class GroupMessage(db.Model):
    """One message staff wrote to a group, and how many people it went to."""

    __tablename__ = "group_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: "stop", "call", "club", "hosts" or "partners".
    group_kind: Mapped[str] = mapped_column(String(20))
    #: The group's filters, e.g. {"stop_id": 3, "workshop_id": 5, "presence": "present"}.
    group_params: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The group as staff saw it when sending ("Participants — Pithiviers").
    group_label: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    #: Optional English wording, for recipients who read English; empty: French for all.
    subject_en: Mapped[str] = mapped_column(String(300), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    recipient_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    sender = relationship("User")


class MailOptOut(db.Model):
    """An address that does not want one kind of optional message."""

    __tablename__ = "mail_opt_outs"
    __table_args__ = (UniqueConstraint("email", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    #: One of preferences.OPTIONAL_KINDS.
    kind: Mapped[str] = mapped_column(String(30))
    #: "profile" or "unsubscribe" (the one-click link).
    source: Mapped[str] = mapped_column(String(20), default="profile")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MailSuppression(db.Model):
    """An address that hard-bounced or reported spam: no optional message goes to it."""

    __tablename__ = "mail_suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: "bounce" or "spamreport".
    reason: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class DeliveryEvent(db.Model):
    """One SendGrid event about one outbox message, kept once per sg_event_id."""

    __tablename__ = "delivery_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    sg_event_id: Mapped[str] = mapped_column(String(100), unique=True)
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254), default="")
    #: Bounce type ("bounce"/"blocked") or the provider's reason, shortened.
    detail: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageHold(db.Model):
    """Staff hold one planned message (`item`) or a whole kind of one stop: not queued."""

    __tablename__ = "message_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    stop_id: Mapped[int] = mapped_column(ForeignKey("stops.id", ondelete="CASCADE"), index=True)
    #: The kind held, e.g. "stop_reminder".
    kind: Mapped[str] = mapped_column(String(40))
    #: One planned message (its agenda reference, e.g. "hosts:P7D"); empty: the whole kind.
    item: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text)
    held_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    held_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    released_at: Mapped[datetime | None]

    held_by = relationship("User", foreign_keys=[held_by_id])
    released_by = relationship("User", foreign_keys=[released_by_id])
