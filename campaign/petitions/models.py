"""A petition, its addressees (in order), demands and numbered references."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.accounts.models import Organisation, User
from campaign.extensions import db
from campaign.types import UTCDateTime, text_enum, utcnow


class PetitionState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"



class Addressee(db.Model):
    """An office a petition is addressed to, and who holds it since when."""

    __tablename__ = "addressees"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_title: Mapped[str] = mapped_column(String(200))
    holder_name: Mapped[str | None] = mapped_column(String(200))
    institution: Mapped[str | None] = mapped_column(String(200))
    holder_since: Mapped[date | None] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"<Addressee {self.office_title!r}>"


def state_at(state: PetitionState, closes_at: datetime | None,
             now: datetime | None = None) -> PetitionState:
    """The state every reader shows: an open petition past its closing time is closed."""
    if state == PetitionState.OPEN and closes_at is not None and (now or utcnow()) >= closes_at:
        return PetitionState.CLOSED
    return state


def accepts_signatures(state: PetitionState, closes_at: datetime | None,
                       now: datetime | None = None) -> bool:
    """Open, and not past its closing time."""
    return state_at(state, closes_at, now) == PetitionState.OPEN


def taking_signatures(now: datetime | None = None):
    """The query condition for petitions open now (the SQL side of `state_at`)."""
    return (Petition.state == PetitionState.OPEN) & or_(
        Petition.closes_at.is_(None), Petition.closes_at > (now or utcnow()))


def closed_since(cutoff: datetime, now: datetime | None = None):
    """The query condition for petitions that stopped taking signatures before `cutoff`,
    closed by hand or past their closing time."""
    now = now or utcnow()
    return or_(
        (Petition.state == PetitionState.CLOSED) & Petition.closed_at.is_not(None)
        & (Petition.closed_at < cutoff),
        (Petition.state == PetitionState.OPEN) & Petition.closes_at.is_not(None)
        & (Petition.closes_at <= now) & (Petition.closes_at < cutoff),
    )


class Petition(db.Model):
    __tablename__ = "petitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="en")
    goal: Mapped[int | None] = mapped_column(Integer)
    # The highest goal the ladder has shown: the automatic goal never drops below it when
    # signatures stop counting. The organiser's own goal is not remembered here, so that a
    # mistyped goal can be corrected downwards.
    highest_ladder_goal: Mapped[int] = mapped_column(Integer, default=0)
    goal_reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[PetitionState] = mapped_column(
        text_enum(PetitionState),
        default=PetitionState.DRAFT,
    )
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_on: Mapped[date | None] = mapped_column(Date)
    delivered_note: Mapped[str | None] = mapped_column(String(1000))
    won_on: Mapped[date | None] = mapped_column(Date)
    won_note: Mapped[str | None] = mapped_column(String(1000))
    # Signer-safety mode, for campaigns whose supporters may be at risk: no names and no small
    # country counts on any public output, no IP digest, personal data erased soon after
    # closing, and mail that does not name the petition in its subject or sender.
    signer_safety: Mapped[bool] = mapped_column(Boolean, default=False)
    # One reminder to supporters who have not confirmed, and a thank-you with share links to
    # those who have; the organiser may switch either off.
    remind_unconfirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    thank_signers: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Loaded with the petition: the sender of every signer's mail names the organisation.
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    revisions: Mapped[list[PetitionRevision]] = relationship(
        order_by="PetitionRevision.created_at", cascade="all, delete-orphan",
        back_populates="petition",
    )
    updates: Mapped[list[PetitionUpdate]] = relationship(
        order_by="PetitionUpdate.created_at.desc()", cascade="all, delete-orphan",
        back_populates="petition",
    )
    addressee_links: Mapped[list[PetitionAddressee]] = relationship(
        order_by="PetitionAddressee.position",
        cascade="all, delete-orphan",
        back_populates="petition",
    )
    demands: Mapped[list[Demand]] = relationship(
        order_by="Demand.position", cascade="all, delete-orphan", back_populates="petition"
    )
    references: Mapped[list[Reference]] = relationship(
        order_by="Reference.position", cascade="all, delete-orphan", back_populates="petition"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        order_by="Milestone.threshold", cascade="all, delete-orphan", back_populates="petition"
    )

    @property
    def addressees(self) -> list[Addressee]:
        return [link.addressee for link in self.addressee_links]

    def accepts_signatures(self, now: datetime | None = None) -> bool:
        return accepts_signatures(self.state, self.closes_at, now)

    @property
    def current_state(self) -> PetitionState:
        return state_at(self.state, self.closes_at)

    @property
    def ended_at(self) -> datetime | None:
        """When it stopped taking signatures: closed by hand, or its closing time."""
        if self.closed_at is not None:
            return self.closed_at
        return self.closes_at if self.current_state == PetitionState.CLOSED else None

    def __repr__(self) -> str:
        return f"<Petition {self.slug}>"


class PetitionAddressee(db.Model):
    __tablename__ = "petition_addressees"
    __table_args__ = (UniqueConstraint("petition_id", "addressee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    addressee_id: Mapped[int] = mapped_column(
        ForeignKey("addressees.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    petition: Mapped[Petition] = relationship(back_populates="addressee_links")
    addressee: Mapped[Addressee] = relationship(lazy="joined")


class Demand(db.Model):
    __tablename__ = "petition_demands"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(1000))

    petition: Mapped[Petition] = relationship(back_populates="demands")


class Reference(db.Model):
    """A numbered source the petition's text cites as [n]."""

    __tablename__ = "petition_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))

    petition: Mapped[Petition] = relationship(back_populates="references")


class PetitionRevision(db.Model):
    """The text of a petition as it was before an edit made after people had signed it."""

    __tablename__ = "petition_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    body_markdown: Mapped[str] = mapped_column(Text)
    demands: Mapped[list[str]] = mapped_column(JSON, default=list)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    petition: Mapped[Petition] = relationship(back_populates="revisions")


class PetitionUpdate(db.Model):
    """News posted on a petition, optionally mailed to signers who agreed to hear more."""

    __tablename__ = "petition_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Mailing happens in batches after the request: requested, then finished.
    mail_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    mailing_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mailed_count: Mapped[int] = mapped_column(Integer, default=0)
    # Who gets it ({} for every consenting signer; see signatures.segments) and from when.
    segment: Mapped[dict] = mapped_column(JSON, default=dict)
    send_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The addressee's response this update announces, if it announces one.
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("addressee_responses.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    petition: Mapped[Petition] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()

    @property
    def mailing_started(self) -> bool:
        """Some of it is queued: from then on it can no longer be edited or deleted."""
        return self.mailed_count > 0 or self.mailing_done_at is not None


class AddresseeResponse(db.Model):
    """What an addressee answered to a petition: when, what (a summary or the text), and the
    document or a link to it. Visible on public outputs once published."""

    __tablename__ = "addressee_responses"
    __table_args__ = (Index("ix_addressee_responses_petition_addressee", "petition_id",
                            "addressee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The petition and the addressee, not their link row: reordering the addressees
    # replaces the links, and must not lose a response.
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    addressee_id: Mapped[int] = mapped_column(
        ForeignKey("addressees.id", ondelete="RESTRICT"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    summary_markdown: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")
    link_url: Mapped[str | None] = mapped_column(String(2000))
    document_name: Mapped[str | None] = mapped_column(String(200))
    document_type: Mapped[str | None] = mapped_column(String(100))
    document: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    petition: Mapped[Petition] = relationship()
    addressee: Mapped[Addressee] = relationship(lazy="joined")


class Milestone(db.Model):
    """A threshold of confirmed signatures and what happens when a petition reaches it: a mail
    to the organisers, a webhook event, a line on the page. Reached once, and only once."""

    __tablename__ = "petition_milestones"
    __table_args__ = (UniqueConstraint("petition_id", "threshold"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    threshold: Mapped[int] = mapped_column(Integer)
    notify_organisers: Mapped[bool] = mapped_column(Boolean, default=True)
    send_webhook: Mapped[bool] = mapped_column(Boolean, default=True)
    page_note: Mapped[str | None] = mapped_column(String(300))
    reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reached_count: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    petition: Mapped[Petition] = relationship(back_populates="milestones")


class Partner(db.Model):
    """A partner organisation promoting a petition with its own tracking code
    (/p/<slug>?source=CODE); it sees its own counts through a secret link."""

    __tablename__ = "petition_partners"
    __table_args__ = (UniqueConstraint("petition_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(64))
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    petition: Mapped[Petition] = relationship()
