"""Follow-up mail the worker queues in batches: the one reminder to supporters who have not
confirmed after REMINDER_DELAY_HOURS, and a short thank-you with share links to those who
have. Each is optional per petition and goes at most once per signature."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, func, update

from campaign.extensions import db
from campaign.mail.models import Suppression
from campaign.petitions.models import Petition, taking_signatures
from campaign.petitions.services import PetitionHead
from campaign.signatures import mails
from campaign.signatures.models import Signature, SignatureState, TokenPurpose
from campaign.signatures.tokens import issue_token
from campaign.types import utcnow

BATCH_SIZE = 200
# Only signers who confirmed this recently are thanked: switching thank-yous on (or
# upgrading) never mails everyone who ever signed.
THANK_WITHIN = timedelta(days=2)

_not_suppressed = ~exists().where(Suppression.address == func.lower(Signature.email))


def _claim(state: SignatureState, conditions: list, stamp: str, batch_size: int,
           now: datetime) -> list[Signature]:
    """Mark up to `batch_size` signatures in `state` meeting `conditions` with `stamp`
    (reminded_at or thanked_at) and return them. The conditional UPDATE makes each at most
    once, whichever worker gets there first."""
    column = getattr(Signature, stamp)
    ids = list(db.session.scalars(
        db.select(Signature.id).join(Petition, Petition.id == Signature.petition_id)
        .where(Signature.state == state, column.is_(None), Signature.email != "",
               _not_suppressed, *conditions)
        .order_by(Signature.id).limit(batch_size)
        .with_for_update(skip_locked=True, of=Signature)))
    if not ids:
        return []
    claimed = list(db.session.scalars(
        update(Signature).where(Signature.id.in_(ids), column.is_(None), Signature.state == state)
        .values({stamp: now}).returning(Signature.id)
        .execution_options(synchronize_session=False)))
    return list(db.session.scalars(db.select(Signature).where(Signature.id.in_(claimed))
                                   .order_by(Signature.id)
                                   .execution_options(populate_existing=True)))


def queue_reminders(batch_size: int = BATCH_SIZE, now: datetime | None = None) -> int:
    """Remind supporters who signed over REMINDER_DELAY_HOURS ago and have not confirmed,
    once, while their petition takes signatures; return how many were queued. Each reminder
    carries fresh links (the first mail's are stored only as hashes)."""
    now = now or utcnow()
    config = current_app.config
    conditions = [
        Signature.created_at <= now - timedelta(hours=config["REMINDER_DELAY_HOURS"]),
        # A signature whose first link has expired is left alone: it is long forgotten.
        Signature.created_at > now - timedelta(days=config["CONFIRM_TOKEN_DAYS"]),
        Petition.remind_unconfirmed.is_(True),
        taking_signatures(now),
    ]
    signatures = _claim(SignatureState.PENDING, conditions, "reminded_at", batch_size, now)
    expires = now + timedelta(days=config["CONFIRM_TOKEN_DAYS"])
    for signature in signatures:
        confirm = issue_token(signature, TokenPurpose.CONFIRM, expires_at=expires)
        withdraw = issue_token(signature, TokenPurpose.WITHDRAW)
        db.session.flush()
        mails.queue_reminder_mail(signature, PetitionHead.of(signature.petition), confirm,
                                  withdraw)
    db.session.flush()
    return len(signatures)


def queue_thanks(batch_size: int = BATCH_SIZE, now: datetime | None = None) -> int:
    """Thank signers who confirmed by email in the last two days, once; return how many
    were queued."""
    now = now or utcnow()
    conditions = [
        Signature.recorded_via.is_(None),
        Signature.confirmed_at > now - THANK_WITHIN,
        Petition.thank_signers.is_(True),
    ]
    signatures = _claim(SignatureState.CONFIRMED, conditions, "thanked_at", batch_size, now)
    for signature in signatures:
        mails.queue_thank_you_mail(signature, PetitionHead.of(signature.petition))
    db.session.flush()
    return len(signatures)
