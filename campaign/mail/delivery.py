"""Delivering the outbox. Each transport (mail, webhooks) claims and sends its own messages, so
that neither ever waits on the other; within a transport, a message that fails is charged
alone, and the others go on."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_

from campaign.extensions import db
from campaign.logs import scrub
from campaign.mail.backends import get_backend
from campaign.mail.deliverability import prepare
from campaign.mail.models import OutboxMessage
from campaign.mail.receivers import Rules, check_receiver, post
from campaign.mail.services import envelope_recipient
from campaign.mail.suppressions import is_suppressed
from campaign.types import utcnow

log = logging.getLogger(__name__)

MAIL, HTTP = "mail", "http"
TRANSPORTS = (MAIL, HTTP)  # mail first: a supporter is waiting for their confirmation
CLAIM_LEASE = timedelta(minutes=5)
# The connection to the mail server broke: the message being sent may be the cause, so it is
# charged, and the rest go back to the queue untouched.
CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, OSError)
SUPPRESSED = ("Suppressed: this address bounced for good or its owner complained earlier, so "
              "no mail goes to it.")


def _claim(transport: str, limit: int) -> list[int]:
    """Mark up to `limit` due messages of one transport as ours for a while, most urgent
    first, and commit the claim."""
    now = utcnow()
    ids = list(
        db.session.scalars(
            db.select(OutboxMessage.id)
            .where(
                OutboxMessage.transport == transport,
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.failed_at.is_(None),
                OutboxMessage.send_after <= now,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .order_by(OutboxMessage.priority, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        db.session.execute(
            db.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(claimed_until=now + CLAIM_LEASE)
        )
    db.session.commit()
    return ids


def retry_delay(attempts: int) -> timedelta:
    """Back off exponentially from 30 seconds up to an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def deliver_batch(transport: str = MAIL, limit: int | None = None) -> tuple[int, int]:
    """Send one batch of one transport's due messages; return (sent, failed attempts)."""
    config = current_app.config
    if limit is None:
        limit = config["WEBHOOK_BATCH_SIZE"] if transport == HTTP else config["MAIL_BATCH_SIZE"]
    ids = _claim(transport, limit)
    if not ids:
        return 0, 0
    if transport == HTTP:
        return _deliver_webhooks(ids)
    return _deliver_mail(ids)


def _deliver_mail(ids: list[int]) -> tuple[int, int]:
    backend = get_backend(current_app._get_current_object())
    config = current_app.config
    try:
        backend.open()
    except Exception as error:  # any failure to reach the server
        # The mail server is down or refusing us: no message is to blame, none is charged.
        # They go back to the queue and the worker tries again after a pause.
        _release(ids)
        db.session.commit()
        log.warning("mail server unavailable (%s); %s messages wait", type(error).__name__,
                    len(ids))
        return 0, 1
    sent = failed = 0
    try:
        for position, message_id in enumerate(ids):
            try:
                outgoing = _prepared(message_id, lambda m: (
                    None if is_suppressed(envelope_recipient(m)) else prepare(m, config)))
                if outgoing is None:
                    _mark_suppressed(message_id)
                    continue
                backend.send(outgoing)
            except CONNECTION_ERRORS as error:
                _record_failure(message_id, error)
                _release(ids[position + 1:])
                db.session.commit()
                return sent, failed + 1
            except Exception as error:  # one message's fault: charge it alone
                _record_failure(message_id, error)
                failed += 1
                continue
            _mark_sent(message_id)
            sent += 1
    finally:
        _close(backend)
    return sent, failed


def _prepared(message_id: int, prepare):
    """What `prepare` makes of a message, read in a transaction that ends before anything
    goes over the network: no database lock (SQLite's write lock above all) is ever held while
    a mail server or a webhook receiver takes its time."""
    try:
        return prepare(db.session.get(OutboxMessage, message_id))
    finally:
        db.session.commit()


def _close(backend) -> None:
    try:
        backend.close()
    except Exception as error:  # what was sent is sent
        log.warning("closing the mail connection failed: %s", type(error).__name__)


def _deliver_webhooks(ids: list[int]) -> tuple[int, int]:
    """Each webhook goes to its own receiver: one that fails or hangs is charged alone."""
    rules = Rules.from_config(current_app.config)
    sent = failed = 0
    for message_id in ids:
        try:
            url, body, headers = _prepared(message_id, lambda m: (
                m.recipient, m.text_body.encode("utf-8"), dict(m.headers or {})))
            # Checked again at every delivery: the name may lead elsewhere since creation.
            post(check_receiver(url, rules), body, headers, rules)
        except Exception as error:  # a receiver's fault never stops the worker
            _record_failure(message_id, error)
            failed += 1
            continue
        _mark_sent(message_id)
        sent += 1
    return sent, failed


def _mark_sent(message_id: int) -> None:
    message = db.session.get(OutboxMessage, message_id)
    message.attempts += 1
    message.sent_at = utcnow()
    message.claimed_until = None
    db.session.commit()


def _mark_suppressed(message_id: int) -> None:
    """Give up a message to an address on the suppression list, without sending it."""
    message = db.session.get(OutboxMessage, message_id)
    message.failed_at = utcnow()
    message.last_error = SUPPRESSED
    message.claimed_until = None
    db.session.commit()


def _release(ids: list[int]) -> None:
    if ids:
        db.session.execute(db.update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                           .values(claimed_until=None))


def _record_failure(message_id: int, error: Exception) -> None:
    """Count a failed attempt on this message alone, and commit; after the last one it is
    dead, and its organisation's owners see it with the error. Logs carry no address and no
    body."""
    db.session.rollback()
    message = db.session.get(OutboxMessage, message_id)
    message.attempts += 1
    message.last_error = scrub(f"{type(error).__name__}: {error}")[:1000]
    message.claimed_until = None
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.failed_at = utcnow()
        log.error("outbox message %s (%s) failed for good after %s attempts: %s", message.id,
                  message.kind, message.attempts, type(error).__name__)
    else:
        message.send_after = utcnow() + retry_delay(message.attempts)
        log.warning("outbox message %s (%s) failed (attempt %s, %s), retrying later",
                    message.id, message.kind, message.attempts, type(error).__name__)
    db.session.commit()


def run_producers() -> int:
    """Let other domains queue the mail they produce in batches (updates to signers,
    reminders, milestones); each registers a callable that queues one batch, flushes, and
    returns how many it queued. The worker commits each batch here."""
    queued = 0
    for producer in current_app.extensions.get("campaign.mail_producers", []):
        while True:
            batch = producer()
            db.session.commit()
            if batch <= 0:
                break
            queued += batch
    return queued


def drain_outbox(transports: tuple[str, ...] = TRANSPORTS) -> tuple[int, int]:
    """Send every message that is due now, mail first; each transport stops at its first
    batch that sends nothing."""
    if MAIL in transports:
        run_producers()
    total_sent = total_failed = 0
    for transport in transports:
        while True:
            sent, failed = deliver_batch(transport)
            total_sent += sent
            total_failed += failed
            if sent == 0:
                break
    return total_sent, total_failed
