"""Mailing a petition's updates to signers who agreed to be contacted (all of them or a
segment): in batches, each signer at most once per update, with a one-click unsubscribe link
in every message; the count before sending, a test send, and the delivery figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import exists, func, or_

from campaign.accounts.models import User
from campaign.extensions import db
from campaign.mail.models import OutboxMessage, Suppression
from campaign.petitions.models import Petition, PetitionUpdate
from campaign.petitions.services import PetitionHead
from campaign.petitions.updates import Segment, due_for_mailing
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
    """An update due to be mailed that no other worker is mailing right now."""
    return db.session.scalar(
        db.select(PetitionUpdate)
        .where(due_for_mailing())
        .order_by(PetitionUpdate.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def mailing_key(update: PetitionUpdate) -> str:
    """How an update's messages are marked in the outbox, for its delivery figures."""
    return f"update:{update.id}"


def segment_conditions(petition_id: int, segment: Segment) -> list:
    """The signatures an update to `segment` goes to: confirmed, consenting to hear more,
    not on the suppression list, and within the segment."""
    conditions = [Signature.petition_id == petition_id,
                  Signature.state == SignatureState.CONFIRMED,
                  Signature.contact_ok.is_(True),
                  ~exists().where(Suppression.address == func.lower(Signature.email))]
    if segment.countries:
        conditions.append(Signature.country.in_(segment.countries))
    if segment.sources:
        conditions.append(Signature.source.in_(segment.sources))
    if segment.languages:
        # "fr" takes in "fr_CA" and "fr-BE" too.
        language = func.lower(func.substr(Signature.locale, 1, 2))
        conditions.append(or_(language.in_(segment.languages),
                              func.lower(Signature.locale).in_(segment.languages)))
    if segment.signed_after:
        conditions.append(Signature.confirmed_at >= _midnight(segment.signed_after))
    if segment.signed_before:
        conditions.append(Signature.confirmed_at < _midnight(segment.signed_before))
    return conditions


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def recipient_count(petition: Petition, segment: Mapping | Segment | None = None) -> int:
    """How many signers an update to `segment` would be mailed to now: what the organiser
    sees before sending."""
    if not isinstance(segment, Segment):
        segment = Segment.from_data(segment)
    return db.session.scalar(db.select(func.count(Signature.id))
                             .where(*segment_conditions(petition.id, segment))) or 0


def mail_update_batch(update: PetitionUpdate, batch_size: int = BATCH_SIZE) -> int:
    """Queue the update for the next batch of signers who have not had it; return how many."""
    delivered = exists().where(UpdateDelivery.update_id == update.id,
                               UpdateDelivery.signature_id == Signature.id)
    conditions = segment_conditions(update.petition_id, Segment.from_data(update.segment))
    signers = db.session.scalars(
        db.select(Signature)
        .where(*conditions, ~delivered)
        .order_by(Signature.id)
        .limit(batch_size)
    ).all()
    petition = PetitionHead.of(update.petition)
    for signature in signers:
        db.session.add(UpdateDelivery(update_id=update.id, signature_id=signature.id))
        token = unsubscribe_token(signature)
        url = external_url("public.signing.unsubscribe_page", token=token)
        with force_locale(signature.locale):
            mails.queue_update_mail(signature, petition, update, unsubscribe_url=url,
                                    subject=_update_subject(petition, update),
                                    mailing=mailing_key(update))
    update.mailed_count += len(signers)
    if len(signers) < batch_size:
        update.mailing_done_at = utcnow()
    db.session.flush()
    return len(signers)


def _update_subject(petition: PetitionHead, update: PetitionUpdate) -> str:
    if petition.signer_safety:
        return _("News from a campaign you support")
    return _("News: %(title)s", title=update.title)


def send_test_update(update: PetitionUpdate, user: User) -> None:
    """Mail the update to the organiser themself, as signers will get it (marked as a test,
    counted nowhere, with an unsubscribe link that does nothing)."""
    petition = PetitionHead.of(update.petition)
    signer = mails.Signer(user.name or "", user.email, str(get_locale() or "en"))
    url = external_url("public.signing.unsubscribe_page", token="test")  # noqa: S106 (not a secret)
    mails.queue_update_mail(signer, petition, update, unsubscribe_url=url,
                            subject=_("[Test] %(subject)s",
                                      subject=_update_subject(petition, update)))


def send_pending_update_mail(batch_size: int = BATCH_SIZE) -> int:
    """Queue one batch of one waiting update; return how many (0: none waits). The mail
    worker calls this and commits each batch (campaign.mail.delivery.run_producers)."""
    update = _next_update()
    if update is None:
        return 0
    return mail_update_batch(update, batch_size)


@dataclass(frozen=True)
class DeliveryFigures:
    """What became of an update's mail: queued, sent, still waiting (or being retried),
    given up (including suppressed addresses), and bounced or complained about after it was
    sent."""

    queued: int
    sent: int
    waiting: int
    failed: int
    bounced: int


def delivery_figures(update: PetitionUpdate) -> DeliveryFigures:
    """An update's delivery figures, from its messages in the outbox."""
    sent = OutboxMessage.sent_at.is_not(None)
    failed = OutboxMessage.failed_at.is_not(None) & OutboxMessage.sent_at.is_(None)
    row = db.session.execute(
        db.select(func.count(OutboxMessage.id),
                  func.count(OutboxMessage.id).filter(sent),
                  func.count(OutboxMessage.id).filter(failed),
                  func.count(OutboxMessage.id).filter(OutboxMessage.bounced_at.is_not(None)))
        .where(OutboxMessage.mailing == mailing_key(update))).one()
    queued, sent_count, failed_count, bounced = (int(n or 0) for n in row)
    return DeliveryFigures(queued=queued, sent=sent_count,
                           waiting=queued - sent_count - failed_count, failed=failed_count,
                           bounced=bounced)
