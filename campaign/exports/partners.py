"""Partner tracking: each partner promotes a petition with its own code and sees its own
counts through a secret link; it never sees signers' data."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func

from campaign.errors import CampaignError, Conflict, NotFound
from campaign.extensions import db
from campaign.link_tokens import digest, new_secret
from campaign.petitions.models import Partner, Petition
from campaign.signatures.counters import utc_day
from campaign.signatures.models import Signature, SignatureState

CODE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def add_partner(petition: Petition, name: str, code: str) -> tuple[Partner, str]:
    if not name.strip():
        raise CampaignError(_("Give the partner's name."))
    if not CODE.match(code or "") or code == "offline":
        raise CampaignError(_("A tracking code uses letters, digits, dots, hyphens and "
                              "underscores (and is not 'offline')."))
    if db.session.scalar(db.select(Partner.id).where(Partner.petition_id == petition.id,
                                                     Partner.code == code)):
        raise Conflict(_("Another partner already uses the code %(code)s.", code=code))
    raw, access_hash = new_secret()
    partner = Partner(petition=petition, name=name.strip()[:200], code=code,
                      access_hash=access_hash)
    db.session.add(partner)
    db.session.flush()
    return partner, raw


def partner_counts(partner: Partner) -> dict:
    confirmed = (Signature.petition_id == partner.petition_id, Signature.source == partner.code,
                 Signature.state == SignatureState.CONFIRMED)
    by_country = db.session.execute(
        db.select(Signature.country, func.count(Signature.id)).where(*confirmed)
        .group_by(Signature.country).order_by(func.count(Signature.id).desc())).all()
    day = utc_day(Signature.confirmed_at)
    by_day = db.session.execute(
        db.select(day, func.count(Signature.id)).where(*confirmed).group_by(day)
        .order_by(day)).all()
    return {"total": sum(n for _c, n in by_country), "by_country": by_country, "by_day": by_day}


def find_partner(token: str) -> Partner:
    partner = db.session.scalar(db.select(Partner).where(Partner.access_hash == digest(token)))
    if partner is None:
        raise NotFound(_("This partner link is not valid."))
    return partner
