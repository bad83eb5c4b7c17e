"""Retention: some months after a petition closes (some days, in signer-safety mode), its
signers' personal data are erased; countries, states, sources and dates stay, so every count
stays the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update

from campaign.extensions import db
from campaign.mail.services import erase_signature_messages
from campaign.petitions.models import Petition, closed_since
from campaign.signatures.models import Signature, SignatureToken, UpdateDelivery
from campaign.types import utcnow


def months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, 28)  # every month has a 28th
    return moment.replace(year=year, month=month + 1, day=day)


def petitions_due(months: int, safety_days: int | None = None) -> list[Petition]:
    """Petitions that stopped taking signatures over `months` months ago (closed by hand, or
    past their closing date), and, with `safety_days`, those in signer-safety mode that
    stopped over that many days ago."""
    now = utcnow()
    due = closed_since(months_before(now, months), now)
    if safety_days is not None:
        due = or_(due, Petition.signer_safety.is_(True)
                  & closed_since(now - timedelta(days=safety_days), now))
    return list(db.session.scalars(db.select(Petition).where(due).order_by(Petition.id)))


@dataclass(frozen=True)
class Erased:
    signatures: int
    messages: int  # outbox messages to or about those signers


def anonymise_petition(petition: Petition) -> Erased:
    """Erase the personal data of every signature of `petition` not yet anonymised, and
    the recipients and bodies of every outbox message about them."""
    targets = db.select(Signature.id).where(Signature.petition_id == petition.id,
                                            Signature.anonymised_at.is_(None))
    ids = list(db.session.scalars(targets))
    if not ids:
        return Erased(0, 0)
    messages = erase_signature_messages(ids)
    now = utcnow()
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        db.session.execute(delete(SignatureToken).where(SignatureToken.signature_id.in_(chunk)))
        db.session.execute(delete(UpdateDelivery).where(UpdateDelivery.signature_id.in_(chunk)))
        db.session.execute(
            update(Signature).where(Signature.id.in_(chunk)).values(
                full_name="", email="",
                # Still unique per petition, and no longer anyone's address.
                email_normalised="anonymised:" + db.cast(Signature.id, db.String),
                postal_code=None, city=None, comment=None, ip_digest=None,
                show_name=False, contact_ok=False, name_withheld=True,
                invalidation_reason=None, anonymised_at=now, modified_at=now)
            .execution_options(synchronize_session=False))
    db.session.flush()
    return Erased(len(ids), messages)
