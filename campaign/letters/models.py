"""A letter, its co-signing organisations, its frozen versions and its delivery log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.accounts.models import Organisation
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.types import UTCDateTime, utcnow


class Letter(db.Model):
    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    petition_id: Mapped[int | None] = mapped_column(
        ForeignKey("petitions.id", ondelete="SET NULL"), index=True
    )
    body_id: Mapped[str] = mapped_column(String(64))  # a body of the legal catalogue
    addressee_office: Mapped[str] = mapped_column(String(200))
    addressee_holder: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    letter_date: Mapped[date] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(16), default="en")
    framing_tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    state_concerned: Mapped[str | None] = mapped_column(String(2))
    request: Mapped[str] = mapped_column(Text, default="")
    facts: Mapped[str] = mapped_column(Text, default="")
    legal_argument: Mapped[str] = mapped_column(Text, default="")
    demands: Mapped[list[str]] = mapped_column(JSON, default=list)
    closing: Mapped[str | None] = mapped_column(String(500))
    signatory_name: Mapped[str | None] = mapped_column(String(200))
    signatory_title: Mapped[str | None] = mapped_column(String(200))
    contact_person: Mapped[str | None] = mapped_column(String(300))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    figures_as_of: Mapped[date | None] = mapped_column(Date)
    # Requirements of the body that the organiser has confirmed by hand.
    confirmed_requirements: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Set when finalised, cleared by the next edit: the letter then drafts its next version.
    final: Mapped[bool] = mapped_column(Boolean, default=False)

    organisation: Mapped[Organisation] = relationship()
    petition: Mapped[Petition | None] = relationship()
    cosigners: Mapped[list[Cosigner]] = relationship(
        order_by="Cosigner.position", cascade="all, delete-orphan", back_populates="letter"
    )
    versions: Mapped[list[LetterVersion]] = relationship(
        order_by="LetterVersion.number", cascade="all, delete-orphan", back_populates="letter"
    )
    deliveries: Mapped[list[Delivery]] = relationship(
        order_by="Delivery.sent_on", cascade="all, delete-orphan", back_populates="letter"
    )

    @property
    def accepted_cosigners(self) -> list[Cosigner]:
        return [c for c in self.cosigners if c.accepted_at is not None]

    @property
    def latest_version(self) -> LetterVersion | None:
        return self.versions[-1] if self.versions else None

    def __repr__(self) -> str:
        return f"<Letter {self.id} {self.subject!r}>"


class Cosigner(db.Model):
    """An organisation invited to sign the letter through a named, authorised person."""

    __tablename__ = "letter_cosigners"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    organisation_name: Mapped[str] = mapped_column(String(200))
    invite_email: Mapped[str | None] = mapped_column(String(254))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The link works until then, and once.
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signatory_name: Mapped[str | None] = mapped_column(String(200))
    signatory_title: Mapped[str | None] = mapped_column(String(200))

    letter: Mapped[Letter] = relationship(back_populates="cosigners")


class LetterVersion(db.Model):
    """A finalised letter, frozen as the document it rendered to, so that it renders the same
    way for ever."""

    __tablename__ = "letter_versions"
    __table_args__ = (UniqueConstraint("letter_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict] = mapped_column(JSON)
    finalised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))
    # What the delivery package states, frozen at finalisation: the petition's title as it
    # was (None: no petition, no annex) and the moment its figures were counted up to.
    annex_title: Mapped[str | None] = mapped_column(String(200))
    figures_taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    letter: Mapped[Letter] = relationship(back_populates="versions")


class AnnexEntry(db.Model):
    """One signature as the annex of a finalised version lists it, frozen so that the package
    reads the same whatever happens to the signature later (withdrawn, anonymised)."""

    __tablename__ = "letter_annex_entries"
    __table_args__ = (UniqueConstraint("version_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("letter_versions.id",
                                                       ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(120))  # None: not to be named
    name_status: Mapped[str] = mapped_column(String(16))  # named, withheld, anonymised
    how: Mapped[str] = mapped_column(String(16))  # online, paper, api, offline
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))
    country_name: Mapped[str] = mapped_column(String(100))
    signed_on: Mapped[date] = mapped_column(Date)


class Delivery(db.Model):
    """One sending of a letter, and what came back."""

    __tablename__ = "letter_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"),
                                           index=True)
    version_number: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(100))
    sent_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(200))
    response_on: Mapped[date | None] = mapped_column(Date)
    response_summary: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    letter: Mapped[Letter] = relationship(back_populates="deliveries")
