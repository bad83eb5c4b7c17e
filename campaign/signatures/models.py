"""Signatures, the single-use tokens mailed to signers, and the sharded counters."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.types import UTCDateTime, text_enum, utcnow


class SignatureState(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    INVALIDATED = "invalidated"
    WITHDRAWN = "withdrawn"


class TokenPurpose(enum.StrEnum):
    CONFIRM = "confirm"
    WITHDRAW = "withdraw"



class Signature(db.Model):
    __tablename__ = "signatures"
    __table_args__ = (
        # The database itself refuses a second signature with the same normalised email.
        UniqueConstraint("petition_id", "email_normalised"),
        Index("ix_signatures_petition_state_confirmed", "petition_id", "state", "confirmed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254))
    country: Mapped[str] = mapped_column(String(2))
    postal_code: Mapped[str | None] = mapped_column(String(16))
    city: Mapped[str | None] = mapped_column(String(100))
    comment: Mapped[str | None] = mapped_column(String(500))
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    # Opted out of being named in the annex handed to the addressees (counted all the same).
    name_withheld: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(64))
    # How an organisation recorded it, for signatures it did not confirm by email: "paper"
    # (imported from paper forms) or "api" (sent with a write key). None: the signer confirmed.
    recorded_via: Mapped[str | None] = mapped_column(String(8))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    state: Mapped[SignatureState] = mapped_column(
        text_enum(SignatureState),
        default=SignatureState.PENDING,
    )
    # A keyed digest of the client address: enough to spot floods from one source, useless to
    # find the person.
    ip_digest: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invalidated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invalidation_reason: Mapped[str | None] = mapped_column(String(500))
    invalidation_id: Mapped[int | None] = mapped_column(
        ForeignKey("signature_invalidations.id", ondelete="SET NULL"), index=True
    )
    duplicate_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The one reminder to confirm, and the thank-you after confirming: each at most once.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    thanked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    petition: Mapped[Petition] = relationship()

    @property
    def contact_email(self) -> str:
        """The email an organisation may see and use: only a confirmed signer's, and only
        if they agreed to be contacted."""
        if self.state == SignatureState.CONFIRMED and self.contact_ok:
            return self.email
        return ""

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0] if self.full_name.strip() else ""

    def __repr__(self) -> str:
        return f"<Signature {self.id} {self.state}>"


class SignatureToken(db.Model):
    """A secret mailed to a signer; only its SHA-256 is stored."""

    __tablename__ = "signature_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    signature_id: Mapped[int] = mapped_column(
        ForeignKey("signatures.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[TokenPurpose] = mapped_column(
        text_enum(TokenPurpose)
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    signature: Mapped[Signature] = relationship()


class CountDimension(enum.StrEnum):
    TOTAL = "total"
    PENDING = "pending"
    COUNTRY = "country"
    DAY = "day"
    SOURCE = "source"


class SignatureCount(db.Model):
    """One shard of one counter: a petition's confirmed signatures for one dimension and key.

    A figure is the sum of its shards. Confirmations add to a random shard so that concurrent
    signers on one petition do not queue on a single row.
    """

    __tablename__ = "signature_counts"
    __table_args__ = (UniqueConstraint("petition_id", "dimension", "key", "shard"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    dimension: Mapped[str] = mapped_column(String(8))
    key: Mapped[str] = mapped_column(String(64))
    shard: Mapped[int] = mapped_column(SmallInteger)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class SignatureInvalidation(db.Model):
    """One act of invalidating signatures by criteria, with its reason; it can be undone."""

    __tablename__ = "signature_invalidations"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    criteria: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(String(500))
    count: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PaperImport(db.Model):
    """A file of paper signatures imported into a petition: the same file is imported once,
    however often it is sent (a double click, Back and Import again)."""

    __tablename__ = "paper_imports"
    __table_args__ = (UniqueConstraint("petition_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))
    lines: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))


class UpdateDelivery(db.Model):
    """That one signer was mailed one update: the unique pair makes it at most once."""

    __tablename__ = "update_deliveries"
    __table_args__ = (UniqueConstraint("update_id", "signature_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("petition_updates.id", ondelete="CASCADE"))
    signature_id: Mapped[int] = mapped_column(
        ForeignKey("signatures.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
