"""The registry's tables: categories, persons of concern, their status history, petition links,
anonymous counts kept after erasure, and when each set of public figures last changed."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.accounts.models import Organisation, User
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.types import UTCDateTime, text_enum, utcnow


class CaseStatus(enum.StrEnum):
    DETAINED = "detained"
    WHEREABOUTS_UNKNOWN = "whereabouts_unknown"
    RELEASED = "released"
    REPATRIATED = "repatriated"
    DECEASED = "deceased"
    REMAINS_RETURNED = "remains_returned"


class Visibility(enum.StrEnum):
    PRIVATE = "private"  # counted only in the organisation's own figures
    AGGREGATE = "aggregate"  # counted in public figures, never named
    PUBLIC = "public"  # named publicly, with recorded consent

    @property
    def counted_publicly(self) -> bool:
        return self is not Visibility.PRIVATE


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class ConsentBy(enum.StrEnum):
    PERSON = "person"
    FAMILY = "family"


class DatePrecision(enum.StrEnum):
    """How much of a date is known; a month or a year is stored as its first day."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class SourceKind(enum.StrEnum):
    URL = "url"
    DOCUMENT = "document"
    ICRC = "icrc"
    FAMILY = "family"
    OFFICIAL = "official"  # a statement by an authority, ombudsman or court
    OTHER = "other"


class Reliability(enum.StrEnum):
    CONFIRMED = "confirmed"  # by the ICRC, an official document or the person
    CREDIBLE = "credible"  # corroborated by independent sources
    UNCONFIRMED = "unconfirmed"  # one report, not yet checked


class CaseCategory(db.Model):
    """A category an organisation files persons under; the standard ones are seeded."""

    __tablename__ = "case_categories"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    standard: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def display_label(self) -> str:
        """The label in the reader's language: a standard category's is translated."""
        from campaign.cases.vocabulary import STANDARD_CATEGORIES  # it imports this module

        return str(dict(STANDARD_CATEGORIES).get(self.code, self.label)) if self.standard \
            else self.label

    def __repr__(self) -> str:
        return f"<CaseCategory {self.code}>"


class PersonOfConcern(db.Model):
    """One person a campaign is for. Family contact, notes, search steps and the
    representative's contact are stored only as Fernet tokens (see cases/crypto.py)."""

    __tablename__ = "persons_of_concern"
    __table_args__ = (
        Index("ix_persons_of_concern_organisation_name", "organisation_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(
        ForeignKey("case_categories.id", ondelete="RESTRICT"), index=True
    )
    # Identity: the Latin transliteration is the name used in letters; the original script as
    # the family writes it; the father's name as identity papers and tracing requests give it.
    name: Mapped[str] = mapped_column(String(200))
    name_original: Mapped[str] = mapped_column(String(200), default="")
    father_name: Mapped[str] = mapped_column(String(200), default="")
    sex: Mapped[Sex | None] = mapped_column(text_enum(Sex))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    birth_date: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(2))

    # The current status is the latest event of the history (kept in step by the services).
    status: Mapped[CaseStatus] = mapped_column(text_enum(CaseStatus, length=24))
    status_since: Mapped[date | None] = mapped_column(Date)

    captured_on: Mapped[date | None] = mapped_column(Date)
    captured_on_precision: Mapped[DatePrecision | None] = mapped_column(text_enum(DatePrecision))
    capture_place: Mapped[str] = mapped_column(String(300), default="")
    holding_authority: Mapped[str] = mapped_column(String(300), default="")
    # The state concerned (ISO code): the respondent of a complaint, and the state whose
    # treaty participation decides which provisions bind.
    holding_state: Mapped[str | None] = mapped_column(String(2))
    place_of_detention: Mapped[str] = mapped_column(String(300), default="")
    # The legal basis given for the detention, and any charges, trial or sentence.
    legal_basis: Mapped[str] = mapped_column(String(1000), default="")
    # Third Geneva Convention Art. 17: a prisoner of war's service number.
    service_number: Mapped[str] = mapped_column(String(50), default="")

    icrc_reference: Mapped[str] = mapped_column(String(100), default="")
    ecthr_application_no: Mapped[str] = mapped_column(String(20), default="")
    wgeid_case_no: Mapped[str] = mapped_column(String(50), default="")

    # What letters need: who represents the person and on what authority, and whether the
    # person or family agreed to a communication being sent on their behalf.
    representative_name: Mapped[str] = mapped_column(String(200), default="")
    representative_authority: Mapped[str] = mapped_column(String(300), default="")
    communication_consent_by: Mapped[ConsentBy | None] = mapped_column(text_enum(ConsentBy))
    communication_consent_on: Mapped[date | None] = mapped_column(Date)

    visibility: Mapped[Visibility] = mapped_column(
        text_enum(Visibility), default=Visibility.PRIVATE
    )
    public_consent_by: Mapped[ConsentBy | None] = mapped_column(text_enum(ConsentBy))
    public_consent_on: Mapped[date | None] = mapped_column(Date)

    family_contact_encrypted: Mapped[str | None] = mapped_column(Text)
    notes_encrypted: Mapped[str | None] = mapped_column(Text)
    search_steps_encrypted: Mapped[str | None] = mapped_column(Text)
    representative_contact_encrypted: Mapped[str | None] = mapped_column(Text)

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    category: Mapped[CaseCategory] = relationship(lazy="joined")
    events: Mapped[list[StatusEvent]] = relationship(
        order_by=lambda: [StatusEvent.occurred_on, StatusEvent.recorded_at, StatusEvent.id],
        cascade="all, delete-orphan", passive_deletes=True, back_populates="person",
    )
    petition_links: Mapped[list[PetitionCase]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, back_populates="person",
    )

    @property
    def is_public(self) -> bool:
        return self.visibility is Visibility.PUBLIC

    @property
    def has_communication_consent(self) -> bool:
        return self.communication_consent_on is not None

    def has_private(self, field: str) -> bool:
        """Whether an encrypted detail is recorded, without decrypting (or auditing) it."""
        return getattr(self, f"{field}_encrypted") is not None

    def __repr__(self) -> str:
        return f"<PersonOfConcern {self.id}>"


class StatusEvent(db.Model):
    """A dated change of status, with where the information came from and how reliable it is."""

    __tablename__ = "case_status_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons_of_concern.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[CaseStatus] = mapped_column(text_enum(CaseStatus, length=24))
    occurred_on: Mapped[date] = mapped_column(Date)
    occurred_precision: Mapped[DatePrecision] = mapped_column(
        text_enum(DatePrecision), default=DatePrecision.DAY
    )
    source_kind: Mapped[SourceKind] = mapped_column(text_enum(SourceKind))
    source_url: Mapped[str | None] = mapped_column(String(2000))
    source_reference: Mapped[str] = mapped_column(String(500), default="")
    reliability: Mapped[Reliability] = mapped_column(text_enum(Reliability))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[PersonOfConcern] = relationship(back_populates="events")
    recorded_by: Mapped[User | None] = relationship()


class PetitionCase(db.Model):
    """A person of concern a petition is about."""

    __tablename__ = "petition_cases"
    __table_args__ = (UniqueConstraint("petition_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons_of_concern.id", ondelete="CASCADE"), index=True
    )
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    petition: Mapped[Petition] = relationship()
    person: Mapped[PersonOfConcern] = relationship(back_populates="petition_links")


class CaseTombstone(db.Model):
    """One anonymous count left by an erased person: its category and last status, nothing
    that names them. One row for the organisation's figures (no petition) and one per
    petition the person was linked to."""

    __tablename__ = "case_tombstones"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    petition_id: Mapped[int | None] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("case_categories.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[CaseStatus] = mapped_column(text_enum(CaseStatus, length=24))
    status_since: Mapped[date | None] = mapped_column(Date)
    # Public persons leave an aggregate count: the name is gone.
    visibility: Mapped[Visibility] = mapped_column(text_enum(Visibility))
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    category: Mapped[CaseCategory] = relationship(lazy="joined")


class CaseFiguresStamp(db.Model):
    """When the public figures of one scope (the organisation, or one petition) last changed.
    Kept apart so that a change to a private person never moves the public date."""

    __tablename__ = "case_figures_stamps"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
