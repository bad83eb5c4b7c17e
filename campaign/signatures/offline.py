"""Signatures collected offline (on paper, at a stall) or sent by a partner's system with a
write key: recorded as confirmed, with source "offline"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask_babel import gettext as _

from campaign.errors import CampaignError
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.petitions.services import PetitionHead
from campaign.signatures import counters
from campaign.signatures.models import Signature, SignatureState
from campaign.signatures.normalise import normalise_email
from campaign.signatures.services import (
    announce_confirmed,
    count_pending_as_confirmed,
    find_signature,
)
from campaign.types import utcnow

OFFLINE = "offline"
RECORDED_VIA_PAPER = "paper"
RECORDED_VIA_API = "api"


@dataclass(frozen=True)
class OfflineSignature:
    full_name: str
    country: str
    email: str | None = None
    city: str | None = None
    postal_code: str | None = None
    comment: str | None = None
    via: str = RECORDED_VIA_PAPER  # or RECORDED_VIA_API


def offline_key(data: OfflineSignature) -> str:
    """The deduplication key: the normalised email, or a unique key for a paper signature
    without one (two people on paper may share a name)."""
    if data.email:
        return normalise_email(data.email)
    return f"offline:{uuid.uuid4().hex}"


def record_offline_signature(petition: Petition, data: OfflineSignature) -> Signature:
    """Count a signature collected offline, unless the same email already signed."""
    if not data.full_name.strip():
        raise CampaignError(_("An offline signature needs the signer's name."))
    key = offline_key(data)
    existing = find_signature(petition.id, key) if data.email else None
    now = utcnow()
    if existing is not None:
        if existing.state == SignatureState.PENDING:
            existing.recorded_via = data.via  # confirmed by the record, not by its signer
            count_pending_as_confirmed(existing, now)
        return existing
    signature = Signature(
        petition=petition, full_name=data.full_name.strip()[:120], email=data.email or "",
        email_normalised=key, country=data.country, city=data.city,
        postal_code=data.postal_code, comment=data.comment, source=OFFLINE,
        recorded_via=data.via,
        state=SignatureState.CONFIRMED, confirmed_at=now)
    db.session.add(signature)
    counters.add_to_counts(petition.id, country=data.country, day=now.date(), source=OFFLINE,
                           delta=1)
    db.session.flush()
    announce_confirmed(signature.id, PetitionHead.of(petition), data.country, OFFLINE, now)
    return signature
