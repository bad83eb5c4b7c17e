"""The rules of signing: sign, deduplicate, confirm, withdraw; each flushes, none commits."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy.exc import IntegrityError

from campaign.errors import Conflict, Gone, NotFound
from campaign.extensions import db
from campaign.petitions.goals import next_goal
from campaign.petitions.models import Petition
from campaign.signatures import counters, mails
from campaign.signatures.events import signature_confirmed
from campaign.signatures.models import Signature, SignatureState, TokenPurpose
from campaign.signatures.normalise import normalise_email
from campaign.signatures.tokens import find_token, issue_token
from campaign.types import utcnow


class PetitionClosed(Conflict):
    pass


class InvalidLink(NotFound):
    pass


INVALID_LINK = lazy_gettext(
    "This link is not valid. Copy the whole link from the email, or sign the petition again "
    "to receive a new one."
)


@dataclass(frozen=True)
class SignatureInput:
    full_name: str
    email: str
    country: str
    postal_code: str | None = None
    city: str | None = None
    comment: str | None = None
    show_name: bool = False
    name_withheld: bool = False
    contact_ok: bool = False
    source: str | None = None


@dataclass(frozen=True)
class ConfirmOutcome:
    signature: Signature
    already_confirmed: bool


def ip_digest(ip_address: str | None) -> str | None:
    if not ip_address:
        return None
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, ip_address.encode(), hashlib.sha256).hexdigest()[:32]


def ensure_accepting(petition: Petition) -> None:
    if not petition.accepts_signatures():
        raise PetitionClosed(
            _("This petition is closed and no longer accepts signatures.")
        )


def find_signature(petition_id: int, email_normalised: str) -> Signature | None:
    return db.session.scalar(
        db.select(Signature).where(
            Signature.petition_id == petition_id,
            Signature.email_normalised == email_normalised,
        )
    )


def sign_petition(petition: Petition, data: SignatureInput, *, ip_address: str | None = None,
                  locale: str = "en") -> Signature:
    """Record a pending signature and queue its confirmation mail.

    A repeat signature with the same normalised email stores nothing new: its owner is mailed
    instead (a fresh confirmation link while still pending, "you have already signed" once
    confirmed), so that the page a visitor sees never tells who has signed.
    """
    ensure_accepting(petition)
    email_normalised = normalise_email(data.email)
    existing = find_signature(petition.id, email_normalised)
    if existing is None:
        signature = Signature(petition=petition, email_normalised=email_normalised,
                              ip_digest=ip_digest(ip_address), locale=locale)
        _fill(signature, data)
        try:
            with db.session.begin_nested():
                db.session.add(signature)
                db.session.flush()
        except IntegrityError:
            # Another request stored the same address a moment ago; treat this one as a repeat.
            existing = find_signature(petition.id, email_normalised)
            if existing is None:
                raise
        else:
            counters.add_pending(petition.id, 1)
            _send_confirmation(signature)
            return signature
    _handle_repeat(existing, data, locale)
    return existing


def _fill(signature: Signature, data: SignatureInput) -> None:
    signature.full_name = data.full_name.strip()
    signature.email = data.email.strip()
    signature.country = data.country
    signature.postal_code = (data.postal_code or "").strip() or None
    signature.city = (data.city or "").strip() or None
    signature.comment = (data.comment or "").strip() or None
    signature.show_name = data.show_name
    signature.name_withheld = data.name_withheld
    signature.contact_ok = data.contact_ok
    signature.source = data.source or None


def _send_confirmation(signature: Signature) -> None:
    expires = utcnow() + timedelta(days=current_app.config["CONFIRM_TOKEN_DAYS"])
    confirm = issue_token(signature, TokenPurpose.CONFIRM, expires_at=expires)
    withdraw = issue_token(signature, TokenPurpose.WITHDRAW)
    db.session.flush()
    mails.queue_confirmation_mail(signature, confirm, withdraw)


def _handle_repeat(signature: Signature, data: SignatureInput, locale: str) -> None:
    if signature.state == SignatureState.WITHDRAWN:
        # Someone who withdrew may sign again, with whatever details they give now.
        _fill(signature, data)
        signature.state = SignatureState.PENDING
        signature.withdrawn_at = None
        signature.confirmed_at = None
        signature.locale = locale
        counters.add_pending(signature.petition_id, 1)
        _send_confirmation(signature)
        return
    now = utcnow()
    quiet = timedelta(minutes=current_app.config["DUPLICATE_NOTICE_MINUTES"])
    if signature.duplicate_notice_at and now - signature.duplicate_notice_at < quiet:
        return  # do not let anyone flood a signer's inbox by resubmitting their address
    signature.duplicate_notice_at = now
    if signature.state == SignatureState.PENDING:
        _send_confirmation(signature)
    else:
        withdraw = issue_token(signature, TokenPurpose.WITHDRAW)
        db.session.flush()
        mails.queue_already_signed_mail(signature, withdraw)


def _lock_signature(signature_id: int) -> Signature:
    return db.session.scalar(
        db.select(Signature)
        .where(Signature.id == signature_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def confirm_signature(raw_token: str) -> ConfirmOutcome:
    """Count a pending signature. Confirming twice is harmless; a used link never does more."""
    token = find_token(raw_token, TokenPurpose.CONFIRM)
    if token is None:
        raise InvalidLink(str(INVALID_LINK))
    signature = _lock_signature(token.signature_id)
    if signature.state == SignatureState.CONFIRMED:
        return ConfirmOutcome(signature, already_confirmed=True)
    if token.used_at is not None or signature.state != SignatureState.PENDING:
        raise Gone(_("This link has already been used. To sign again, use the petition page."))
    now = utcnow()
    if token.expires_at is not None and token.expires_at <= now:
        raise Gone(_("This confirmation link has expired. Sign the petition again to receive a "
                     "new one."))
    ensure_accepting(signature.petition)
    token.used_at = now
    count_pending_as_confirmed(signature, now)
    return ConfirmOutcome(signature, already_confirmed=False)


def count_pending_as_confirmed(signature: Signature, now: datetime) -> None:
    """Move a pending signature into every confirmed figure, and tell the listeners."""
    signature.state = SignatureState.CONFIRMED
    signature.confirmed_at = now
    counters.add_pending(signature.petition_id, -1)
    counters.add_to_counts(signature.petition_id, country=signature.country, day=now.date(),
                           source=signature.source, delta=1)
    db.session.flush()
    signature_confirmed.send(signature)


def check_withdraw_token(raw_token: str) -> Signature:
    token = find_token(raw_token, TokenPurpose.WITHDRAW)
    if token is None:
        raise InvalidLink(str(INVALID_LINK))
    return token.signature


def withdraw_signature(raw_token: str) -> Signature:
    """Take a signature back: it stops counting and the signer's name and details are erased.

    The email stays only so that the same address can sign again later.
    """
    token = find_token(raw_token, TokenPurpose.WITHDRAW)
    if token is None:
        raise InvalidLink(str(INVALID_LINK))
    signature = _lock_signature(token.signature_id)
    if signature.state == SignatureState.WITHDRAWN:
        return signature
    if signature.state == SignatureState.CONFIRMED:
        remember_goal_shown(signature.petition)
        counters.add_to_counts(signature.petition_id, country=signature.country,
                               day=signature.confirmed_at.date(), source=signature.source,
                               delta=-1)
    elif signature.state == SignatureState.PENDING:
        counters.add_pending(signature.petition_id, -1)
    now = utcnow()
    token.used_at = now
    signature.state = SignatureState.WITHDRAWN
    signature.withdrawn_at = now
    signature.full_name = ""
    signature.postal_code = signature.city = signature.comment = None
    signature.show_name = signature.contact_ok = False
    db.session.flush()
    return signature


def remember_goal_shown(petition: Petition) -> None:
    """Before a count goes down, keep the goal shown now so that the goal never decreases."""
    shown = public_goal(petition, counters.signature_count(petition.id))
    if shown > petition.highest_goal_shown:
        petition.highest_goal_shown = shown


def public_goal(petition: Petition, count: int) -> int:
    return next_goal(count, petition.goal, petition.highest_goal_shown)


def recent_public_signers(petition: Petition, limit: int = 8) -> list[Signature]:
    """The latest confirmed signers who agreed to be shown (first name and country only)."""
    return list(
        db.session.scalars(
            db.select(Signature)
            .where(
                Signature.petition_id == petition.id,
                Signature.state == SignatureState.CONFIRMED,
                Signature.show_name.is_(True),
            )
            .order_by(Signature.confirmed_at.desc())
            .limit(limit)
        )
    )
