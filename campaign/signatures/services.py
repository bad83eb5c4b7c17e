"""The rules of signing: sign, deduplicate, confirm, withdraw; each flushes, none commits.

Signing and confirming come in two steps, reads then writes (`prepare_signature` then
`record_signature`, `read_confirmation` then `record_confirmation`), so that the door can end
the read transaction between them (campaign.database.begin_writes) and hold SQLite's write
lock for the writes alone."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from campaign.errors import CampaignError, Conflict, Gone, NotFound
from campaign.extensions import db
from campaign.link_tokens import digest as hash_token
from campaign.link_tokens import new_secret
from campaign.mail.services import erase_signature_messages, outbox_row
from campaign.petitions.goals import ladder_goal, next_goal
from campaign.petitions.models import Petition, PetitionState
from campaign.petitions.services import HEAD_COLUMNS, HEAD_FROM, PetitionHead
from campaign.signatures import counters, mails, writes
from campaign.signatures.events import ConfirmedSignature, signature_confirmed
from campaign.signatures.mails import Signer
from campaign.signatures.milestones import check_milestones
from campaign.signatures.models import Signature, SignatureState, SignatureToken, TokenPurpose
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
    petition_slug: str
    already_confirmed: bool


def ip_digest(ip_address: str | None) -> str | None:
    if not ip_address:
        return None
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, ip_address.encode(), hashlib.sha256).hexdigest()[:32]


def ensure_accepting(petition: Petition | PetitionHead) -> None:
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


_signatures, _tokens = Signature.__table__, SignatureToken.__table__


@dataclass(frozen=True)
class NewSignature:
    """A signature ready to be written: its columns, its links' hashes and its mail."""

    petition: PetitionHead
    email_normalised: str
    columns: dict
    tokens: writes.NewTokens
    mail: dict


def prepare_signature(petition: PetitionHead, data: SignatureInput, *,
                      ip_address: str | None = None, locale: str = "en") -> NewSignature:
    """Everything a new signature needs before it is written, its mail rendered; nothing is
    written yet (see `record_signature`)."""
    ensure_accepting(petition)
    if not data.country and not petition.signer_safety:
        raise CampaignError(_("Please choose your country."))
    now = utcnow()
    confirm, confirm_hash = new_secret()
    withdraw, withdraw_hash = new_secret()
    details = _details(data)
    mail = mails.confirmation_mail(Signer(details["full_name"], details["email"], locale),
                                   petition, confirm, withdraw)
    email_normalised = normalise_email(data.email)
    return NewSignature(
        petition, email_normalised,
        {"petition_id": petition.id, "email_normalised": email_normalised,
         # Signer-safety mode keeps not even a digest of where a signature came from.
         "ip_digest": None if petition.signer_safety else ip_digest(ip_address),
         "locale": locale,
         "state": SignatureState.PENDING, "created_at": now, "modified_at": now, **details},
        writes.NewTokens(
            confirm_hash=confirm_hash,
            confirm_expires=now + timedelta(days=current_app.config["CONFIRM_TOKEN_DAYS"]),
            withdraw_hash=withdraw_hash),
        outbox_row(**mail))


def record_signature(new: NewSignature) -> int:
    """Write a prepared signature, pending, with its confirmation mail; return its id.

    A repeat signature with the same normalised email stores nothing new: its owner is mailed
    instead (a fresh confirmation link while still pending, "you have already signed" once
    confirmed), so that the page a visitor sees never tells who has signed.

    A new signature is written in one short transaction (writes.insert_signature); the unique
    constraint tells a repeat apart even when two arrive at once.
    """
    signature_id = writes.insert_signature(
        db.session.connection(), new.columns, new.tokens,
        counters.pending_rows(new.petition.id, 1), new.mail)
    if signature_id is None:  # the address has signed before
        signature = find_signature(new.petition.id, new.email_normalised)
        _handle_repeat(signature, new.petition)
        return signature.id
    return signature_id


def sign_petition(petition: PetitionHead, data: SignatureInput, *,
                  ip_address: str | None = None, locale: str = "en") -> int:
    """Prepare and record a signature at once (`prepare_signature`, `record_signature`)."""
    return record_signature(prepare_signature(petition, data, ip_address=ip_address,
                                              locale=locale))


def _details(data: SignatureInput) -> dict:
    """The columns a signer fills in, tidied."""
    return {
        "full_name": data.full_name.strip(),
        "email": data.email.strip(),
        "country": data.country or "",
        "postal_code": (data.postal_code or "").strip() or None,
        "city": (data.city or "").strip() or None,
        "comment": (data.comment or "").strip() or None,
        "show_name": data.show_name,
        "name_withheld": data.name_withheld,
        "contact_ok": data.contact_ok,
        "source": data.source or None,
    }


def _send_confirmation(signature: Signature, petition: PetitionHead) -> None:
    expires = utcnow() + timedelta(days=current_app.config["CONFIRM_TOKEN_DAYS"])
    confirm = issue_token(signature, TokenPurpose.CONFIRM, expires_at=expires)
    withdraw = issue_token(signature, TokenPurpose.WITHDRAW)
    db.session.flush()
    mails.queue_confirmation_mail(signature, petition, confirm, withdraw)


def _handle_repeat(signature: Signature, petition: PetitionHead) -> None:
    # A withdrawn signature keeps no email, so a repeat is never one: whoever withdrew and
    # signs again makes a new signature.
    now = utcnow()
    quiet = timedelta(minutes=current_app.config["DUPLICATE_NOTICE_MINUTES"])
    if signature.duplicate_notice_at and now - signature.duplicate_notice_at < quiet:
        return  # do not let anyone flood a signer's inbox by resubmitting their address
    signature.duplicate_notice_at = now
    if signature.state == SignatureState.PENDING:
        _send_confirmation(signature, petition)
    else:
        withdraw = issue_token(signature, TokenPurpose.WITHDRAW)
        db.session.flush()
        mails.queue_already_signed_mail(signature, petition, withdraw)


def _lock_signature(signature_id: int) -> Signature:
    return db.session.scalar(
        db.select(Signature)
        .where(Signature.id == signature_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


# What confirming needs, in one query by the token's hash.
_CONFIRMATION = (
    db.select(_tokens.c.id, _tokens.c.used_at, _tokens.c.expires_at, _signatures.c.id,
              _signatures.c.state, _signatures.c.country, _signatures.c.source, *HEAD_COLUMNS)
    .select_from(_tokens.join(_signatures, _signatures.c.id == _tokens.c.signature_id)
                 .join(HEAD_FROM, HEAD_FROM.c.petitions_id == _signatures.c.petition_id))
    .where(_tokens.c.token_hash == db.bindparam("token_hash"),
           _tokens.c.purpose == TokenPurpose.CONFIRM))

USED_LINK = lazy_gettext("This link has already been used. To sign again, use the petition "
                         "page.")


@dataclass(frozen=True)
class Confirmation:
    """A confirmation link as read, ready for `record_confirmation`."""

    petition: PetitionHead
    token_id: int
    signature_id: int
    country: str
    source: str | None
    already_confirmed: bool


def read_confirmation(raw_token: str) -> Confirmation:
    """Check a confirmation link and read what confirming needs; nothing is written. A used,
    expired or unknown link, or a closed petition, raises."""
    if not raw_token or len(raw_token) > 100:
        raise InvalidLink(str(INVALID_LINK))
    row = db.session.connection().execute(
        _CONFIRMATION, {"token_hash": hash_token(raw_token)}).first()
    if row is None:
        raise InvalidLink(str(INVALID_LINK))
    token_id, used_at, expires_at, signature_id, state, country, source = row[:7]
    confirmation = Confirmation(PetitionHead(*row[7:]), token_id, signature_id, country,
                                source, already_confirmed=state == SignatureState.CONFIRMED)
    if confirmation.already_confirmed:
        return confirmation
    if used_at is not None or state != SignatureState.PENDING:
        raise Gone(str(USED_LINK))
    if expires_at is not None and expires_at <= utcnow():
        raise Gone(_("This confirmation link has expired. Sign the petition again to receive a "
                     "new one."))
    ensure_accepting(confirmation.petition)
    return confirmation


def record_confirmation(confirmation: Confirmation) -> ConfirmOutcome:
    """Count a pending signature. Confirming twice is harmless; a used link never does more.

    The writes are a conditional UPDATE (only a pending signature becomes confirmed, so two
    confirmations at once count once) and the counters."""
    petition = confirmation.petition
    if confirmation.already_confirmed:
        return ConfirmOutcome(petition.slug, already_confirmed=True)
    now = utcnow()
    counts = counters.confirmation_rows(petition.id, country=confirmation.country,
                                        day=now.date(), source=confirmation.source)
    if not writes.record_confirmation(db.session.connection(),
                                      signature_id=confirmation.signature_id,
                                      token_id=confirmation.token_id, now=now, counts=counts):
        # Confirmed or withdrawn by another request since the link was read.
        state = db.session.scalar(db.select(Signature.state).where(
            Signature.id == confirmation.signature_id))
        if state == SignatureState.CONFIRMED:
            return ConfirmOutcome(petition.slug, already_confirmed=True)
        raise Gone(str(USED_LINK))
    announce_confirmed(confirmation.signature_id, petition, confirmation.country,
                       confirmation.source, now)
    return ConfirmOutcome(petition.slug, already_confirmed=False)


def confirm_signature(raw_token: str) -> ConfirmOutcome:
    """Read and record a confirmation at once (`read_confirmation`, `record_confirmation`)."""
    return record_confirmation(read_confirmation(raw_token))


def announce_confirmed(signature_id: int, petition: PetitionHead, country: str,
                       source: str | None, now: datetime) -> None:
    """Tell the listeners (webhooks) that a signature now counts, and reach the milestones
    the count has passed."""
    signature_confirmed.send(ConfirmedSignature(
        id=signature_id, petition_id=petition.id, petition_slug=petition.slug,
        petition_goal=petition.goal, organisation_id=petition.organisation_id, country=country,
        source=source, confirmed_at=now))
    if petition.next_milestone is not None:
        check_milestones(petition.id, petition.next_milestone)


def count_pending_as_confirmed(signature: Signature, now: datetime) -> None:
    """Move a pending signature into every confirmed figure, and tell the listeners."""
    signature.state = SignatureState.CONFIRMED
    signature.confirmed_at = now
    db.session.flush()
    counters.move_pending_to_confirmed(signature.petition_id, country=signature.country,
                                       day=now.date(), source=signature.source)
    announce_confirmed(signature.id, PetitionHead.of(signature.petition), signature.country,
                       signature.source, now)


USED_WITHDRAW_LINK = lazy_gettext(
    "This link has been used: the signature it was sent for is withdrawn. If you have signed "
    "again since, the email about that signature has a link of its own.")


def check_withdraw_token(raw_token: str) -> SignatureToken:
    """The withdraw link's token, if it can still be used: it withdraws the signature it was
    mailed for, once."""
    token = find_token(raw_token, TokenPurpose.WITHDRAW)
    if token is None:
        raise InvalidLink(str(INVALID_LINK))
    if token.used_at is not None:
        raise Gone(str(USED_WITHDRAW_LINK))
    return token


def withdraw_signature(raw_token: str) -> Signature:
    """Take a signature back: it stops counting, the signer's name, email, country and details
    are erased, every link mailed for it stops working, and its mail leaves the outbox.

    The same address may sign again later: that makes a new signature, which no link mailed
    for this one can touch.
    """
    token = check_withdraw_token(raw_token)
    signature = _lock_signature(token.signature_id)
    if signature.state == SignatureState.WITHDRAWN:
        raise Gone(str(USED_WITHDRAW_LINK))
    if signature.state == SignatureState.CONFIRMED:
        remember_goal_shown(signature.petition)
        counters.add_to_counts(signature.petition_id, country=signature.country,
                               day=signature.confirmed_at.date(), source=signature.source,
                               delta=-1)
    elif signature.state == SignatureState.PENDING:
        counters.add_pending(signature.petition_id, -1)
    now = utcnow()
    db.session.execute(
        db.update(SignatureToken)
        .where(SignatureToken.signature_id == signature.id, SignatureToken.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    signature.state = SignatureState.WITHDRAWN
    signature.withdrawn_at = now
    signature.full_name = signature.email = signature.country = ""
    # Still unique per petition, and no longer anyone's address.
    signature.email_normalised = f"withdrawn:{signature.id}"
    signature.postal_code = signature.city = signature.comment = signature.ip_digest = None
    signature.show_name = signature.contact_ok = False
    erase_signature_messages([signature.id])
    db.session.flush()
    return signature


def remember_goal_shown(petition: Petition) -> None:
    """Before a count goes down, keep the ladder's goal shown now, so that the automatic goal
    never decreases when signatures stop counting."""
    shown = ladder_goal(counters.signature_count(petition.id))
    if shown > (petition.highest_ladder_goal or 0):
        petition.highest_ladder_goal = shown


def public_goal(petition: Petition, count: int) -> int | None:
    """The next goal shown, or None once the petition is closed or won: there is no next goal
    to reach. The organiser's own goal counts as given today (a mistyped goal can be
    corrected downwards); the ladder's part never goes down."""
    if petition.current_state == PetitionState.CLOSED or petition.won_on is not None:
        return None
    return next_goal(count, petition.goal, petition.highest_ladder_goal)


def recent_public_signers(petition: Petition, limit: int = 8) -> list[Signature]:
    """The latest confirmed signers who agreed to be shown (first name and country only);
    nobody in signer-safety mode."""
    if petition.signer_safety:
        return []
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
