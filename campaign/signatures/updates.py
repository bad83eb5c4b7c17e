"""Mailing a petition's updates to signers who agreed to be contacted: in batches, each signer
at most once per update, with a one-click unsubscribe link in every message."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import exists

from campaign.extensions import db
from campaign.petitions.models import PetitionUpdate
from campaign.petitions.services import PetitionHead
from campaign.signatures import mails
from campaign.signatures.models import Signature, SignatureState, UpdateDelivery
from campaign.types import utcnow
from campaign.urls import external_url

BATCH_SIZE = 500


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_token(signature: Signature) -> str:
    """A signed, non-expiring token naming one signature; nothing is stored for it."""
    return _serializer().dumps(signature.id)


def signature_for_unsubscribe(token: str) -> Signature | None:
    try:
        signature_id = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(Signature, signature_id) if isinstance(signature_id, int) else None


def unsubscribe(signature: Signature) -> None:
    signature.contact_ok = False
    db.session.flush()


def _next_update() -> PetitionUpdate | None:
    """An update waiting to be mailed that no other worker is mailing right now."""
    return db.session.scalar(
        db.select(PetitionUpdate)
        .where(PetitionUpdate.mail_requested.is_(True), PetitionUpdate.mailing_done_at.is_(None))
        .order_by(PetitionUpdate.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def mail_update_batch(update: PetitionUpdate, batch_size: int = BATCH_SIZE) -> int:
    """Queue the update for the next batch of signers who have not had it; return how many."""
    delivered = exists().where(UpdateDelivery.update_id == update.id,
                               UpdateDelivery.signature_id == Signature.id)
    signers = db.session.scalars(
        db.select(Signature)
        .where(Signature.petition_id == update.petition_id,
               Signature.state == SignatureState.CONFIRMED,
               Signature.contact_ok.is_(True),
               ~delivered)
        .order_by(Signature.id)
        .limit(batch_size)
    ).all()
    petition = PetitionHead.of(update.petition)
    for signature in signers:
        db.session.add(UpdateDelivery(update_id=update.id, signature_id=signature.id))
        token = unsubscribe_token(signature)
        url = external_url("public.signing.unsubscribe_page", token=token)
        with force_locale(signature.locale):
            mails.queue_update_mail(
                signature, petition, update, unsubscribe_url=url,
                subject=_("News: %(title)s", title=update.title),
            )
    update.mailed_count += len(signers)
    if len(signers) < batch_size:
        update.mailing_done_at = utcnow()
    db.session.flush()
    return len(signers)


def send_pending_update_mail(batch_size: int = BATCH_SIZE) -> int:
    """Queue one batch of one waiting update; return how many (0: none waits). The mail
    worker calls this and commits each batch (campaign.mail.delivery.run_producers)."""
    update = _next_update()
    if update is None:
        return 0
    return mail_update_batch(update, batch_size)
