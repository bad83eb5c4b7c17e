"""Queueing messages in the outbox and delivering them with retries."""

from __future__ import annotations

import hashlib
import logging
import smtplib
import urllib.error
import urllib.request
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app
from flask_babel import get_translations
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy import or_

from campaign.extensions import db
from campaign.mail.backends import get_backend
from campaign.mail.models import OutboxMessage
from campaign.types import utcnow

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=5)
# Errors worth retrying: the server or the network, not our own bugs.
RETRYABLE_ERRORS = (smtplib.SMTPException, OSError)


OUTBOX_INSERT = db.insert(OutboxMessage.__table__)


def queue_message(**message) -> None:
    """Add a message to the outbox in the caller's transaction; it is sent after commit.
    The arguments are those of `outbox_row`."""
    # One prepared INSERT on the session's connection: signing queues a message every time.
    db.session.connection().execute(OUTBOX_INSERT, outbox_row(**message))


def outbox_row(*, kind: str, recipient: str, subject: str, text_body: str,
               html_body: str | None = None, sender: str | None = None,
               headers: dict[str, str] | None = None, transport: str = "mail") -> dict:
    """The outbox columns of a message due now. Transport "http" POSTs `text_body` to the URL
    in `recipient` (webhooks)."""
    now = utcnow()
    return {
        "kind": kind,
        "transport": transport,
        "sender": sender or current_app.config["MAIL_DEFAULT_SENDER"],
        "recipient": recipient,
        "subject": subject,
        "text_body": text_body,
        "html_body": html_body,
        "headers": headers or {},
        "created_at": now,
        "send_after": now,
        "attempts": 0,
    }


def render_templated(*, kind: str, recipient: str, subject: str, template: str,
                     sender: str | None = None, headers: dict[str, str] | None = None,
                     **context) -> dict:
    """A message whose bodies are templates/mail/<template>.txt and .html, rendered now and
    ready for `queue_message(**message)`."""
    return {
        "kind": kind,
        "recipient": recipient,
        "subject": " ".join(subject.split()),  # a line break in a header would be refused
        "text_body": render_mail_template(f"mail/{template}.txt", context),
        "html_body": render_mail_template(f"mail/{template}.html", context),
        "sender": sender,
        "headers": headers,
    }


def render_mail_template(name: str, context: dict) -> str:
    """A mail body from its template alone: a mail depends on nothing in the request, so
    Flask's context processors are not run, and `_()` uses the current language's catalogue,
    looked up once for the whole body instead of once per sentence."""
    template = current_app.jinja_env.get_template(name)
    return template.render(context, **_bound_gettext(get_translations()))


def _bound_gettext(translations) -> dict:
    """Jinja's new-style gettext and ngettext on one catalogue: the variables are formatted
    into the translated text, and escaped in HTML templates."""

    def finish(context, text: str, variables: dict) -> str:
        if context.eval_ctx.autoescape:
            # The catalogue is the project's own text; Markup's % escapes the variables.
            text = Markup(text)  # noqa: S704
        return text % variables

    @pass_context
    def gettext(context, message: str, **variables) -> str:
        return finish(context, translations.ugettext(message), variables)

    @pass_context
    def ngettext(context, singular: str, plural: str, num: int, **variables) -> str:
        variables.setdefault("num", num)
        return finish(context, translations.ungettext(singular, plural, num), variables)

    return {"gettext": gettext, "ngettext": ngettext}


def queue_templated(**message) -> None:
    """Render a templated message (see `render_templated`) and queue it."""
    queue_message(**render_templated(**message))


def build_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = message.sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    # A stable Message-ID lets mail clients drop a copy resent after a worker crash.
    domain = parseaddr(message.sender)[1].partition("@")[2] or "localhost"
    digest = hashlib.sha256(f"{message.id}:{message.created_at.isoformat()}".encode()).hexdigest()
    email["Message-ID"] = f"<outbox-{message.id}-{digest[:16]}@{domain}>"
    email["X-Campaign-Outbox-Id"] = str(message.id)
    for name, value in (message.headers or {}).items():
        email[name] = value
    # 8-bit text keeps links readable in the raw message (and in .eml files in development);
    # templates keep lines far below SMTP's 998-character limit.
    email.set_content(message.text_body, cte="8bit")
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    return email


def pending_count() -> int:
    return db.session.scalar(
        db.select(db.func.count(OutboxMessage.id)).where(
            OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)
        )
    ) or 0


def oldest_due_age() -> int | None:
    """Seconds the oldest unsent message has been waiting, or None when nothing waits."""
    oldest = db.session.scalar(
        db.select(db.func.min(OutboxMessage.created_at)).where(
            OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)))
    if oldest is None:
        return None
    if oldest.tzinfo is None:  # an aggregate bypasses the column type on SQLite
        from datetime import UTC, datetime

        oldest = datetime.fromisoformat(str(oldest)).replace(tzinfo=UTC)
    return int((utcnow() - oldest).total_seconds())


def _claim(limit: int) -> list[int]:
    """Mark up to `limit` due messages as ours for a while, and commit the claim."""
    now = utcnow()
    ids = list(
        db.session.scalars(
            db.select(OutboxMessage.id)
            .where(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.failed_at.is_(None),
                OutboxMessage.send_after <= now,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .order_by(OutboxMessage.id)
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


def deliver_batch(limit: int | None = None) -> tuple[int, int]:
    """Send one batch of due messages; return (sent, failed attempts)."""
    app = current_app._get_current_object()
    limit = limit or app.config["MAIL_BATCH_SIZE"]
    ids = _claim(limit)
    if not ids:
        return 0, 0
    backend = get_backend(app)
    sent = 0
    opened = False
    try:
        for position, message_id in enumerate(ids):
            message = db.session.get(OutboxMessage, message_id)
            try:
                if message.transport == "http":
                    post_webhook(message)
                else:
                    if not opened:
                        backend.open()
                        opened = True
                    backend.send(build_email(message))
            except RETRYABLE_ERRORS as error:
                # The server is down or refusing: stop here, and hold the rest of the batch
                # back as long as this one rather than knocking once per message.
                _record_failure(message, error)
                _release(ids[position + 1:], message.send_after)
                db.session.commit()
                return sent, 1
            message.attempts += 1
            message.sent_at = utcnow()
            message.claimed_until = None
            db.session.commit()
            sent += 1
    finally:
        if opened:
            backend.close()
    return sent, 0


class WebhookRefused(OSError):
    """The receiver answered with an error status; worth retrying later."""


def post_webhook(message: OutboxMessage, timeout: float = 10.0) -> None:
    request = urllib.request.Request(  # noqa: S310 (the organisation's own http(s) address)
        message.recipient, data=message.text_body.encode("utf-8"),
        headers=dict(message.headers or {}), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if not 200 <= status < 300:
        raise WebhookRefused(f"the receiver answered {status}")


def _release(ids: list[int], send_after) -> None:
    if ids:
        db.session.execute(
            db.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(claimed_until=None, send_after=send_after)
        )


def _record_failure(message: OutboxMessage, error: Exception) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:1000]
    message.claimed_until = None
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.failed_at = utcnow()
        log.error("outbox message %s failed for good after %s attempts", message.id,
                  message.attempts)
    else:
        message.send_after = utcnow() + retry_delay(message.attempts)
        log.warning("outbox message %s failed (attempt %s), retrying later", message.id,
                    message.attempts)


def run_producers() -> int:
    """Let other domains queue the mail they produce in batches (such as updates to signers);
    they register a callable returning how many messages it queued."""
    queued = 0
    for producer in current_app.extensions.get("campaign.mail_producers", []):
        while (batch := producer()) > 0:
            queued += batch
    return queued


def drain_outbox() -> tuple[int, int]:
    """Send every message that is due now; stop at the first batch that sends nothing."""
    run_producers()
    total_sent = total_failed = 0
    while True:
        sent, failed = deliver_batch()
        total_sent += sent
        total_failed += failed
        if sent == 0:
            return total_sent, total_failed
