"""A message waiting in the outbox, and what happened when it was sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.types import UTCDateTime, utcnow

# The order in which due mail goes out: what a person is waiting for (a confirmation link, a
# password reset) before bulk mailings such as petition updates.
URGENT = 0
BULK = 1


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_pending", "sent_at", "failed_at", "send_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    # "mail" goes to the mail backend; "http" is POSTed to `recipient` (webhooks). Each
    # transport claims its own messages, so neither ever waits on the other.
    transport: Mapped[str] = mapped_column(String(8), default="mail", server_default="mail")
    priority: Mapped[int] = mapped_column(SmallInteger, default=URGENT, server_default="0")
    # Whose message it is: owners see their organisation's undeliverable messages.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    # The signature a signer's mail is about: erased with the signer's personal data.
    signature_id: Mapped[int | None] = mapped_column(
        ForeignKey("signatures.id", ondelete="SET NULL"), index=True)
    sender: Mapped[str] = mapped_column(String(300))
    recipient: Mapped[str] = mapped_column(String(2000))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    send_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A worker that claims a message owns it until then; a crashed worker's claim lapses.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(1000))
    # When the recipient and the bodies were erased (retention, withdrawal, anonymisation).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The mailing it belongs to ("update:12"), for that mailing's delivery figures.
    mailing: Mapped[str | None] = mapped_column(String(40), index=True)
    # When a bounce or a complaint about it came back (read from its VERP address).
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind}>"


class Suppression(db.Model):
    """An address that gets no more mail: it bounced for good, its owner complained, or an
    organiser added it. Every delivery checks this list."""

    __tablename__ = "mail_suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Case-folded, as `suppression_key` writes it.
    address: Mapped[str] = mapped_column(String(320), unique=True)
    reason: Mapped[str] = mapped_column(String(16))  # bounce | complaint | manual
    detail: Mapped[str | None] = mapped_column(String(300))
    # Whose mail bounced: its organisation sees the entry.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
