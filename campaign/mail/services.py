"""Queueing messages in the outbox: rendering them, addressing them safely, and erasing them
when their time is up."""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from datetime import timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import idna
from flask import current_app
from flask_babel import get_translations
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy import or_

from campaign.extensions import db
from campaign.mail.models import URGENT, OutboxMessage
from campaign.types import utcnow

log = logging.getLogger(__name__)

# What `plain_name` keeps of a name: one word of letters and these, at most this long.
NAME_PUNCTUATION = frozenset("'’-")
MAX_NAME_WORD = 40
MAX_DISPLAY_NAME = 78

OUTBOX_INSERT = db.insert(OutboxMessage.__table__)


def queue_message(**message) -> None:
    """Add a message to the outbox in the caller's transaction; it is sent after commit.
    The arguments are those of `outbox_row`."""
    # One prepared INSERT on the session's connection: signing queues a message every time.
    db.session.connection().execute(OUTBOX_INSERT, outbox_row(**message))


def outbox_row(*, kind: str, recipient: str, subject: str, text_body: str,
               html_body: str | None = None, sender: str | None = None,
               headers: dict[str, str] | None = None, transport: str = "mail",
               priority: int = URGENT, organisation_id: int | None = None,
               signature_id: int | None = None) -> dict:
    """The outbox columns of a message due now. Transport "http" POSTs `text_body` to the URL
    in `recipient` (webhooks). `organisation_id` names whose message it is (its owners see it
    if it cannot be delivered); `signature_id` ties a signer's mail to their signature, so that
    it is erased with their personal data."""
    now = utcnow()
    return {
        "kind": kind,
        "transport": transport,
        "priority": priority,
        "organisation_id": organisation_id,
        "signature_id": signature_id,
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
                     priority: int = URGENT, organisation_id: int | None = None,
                     signature_id: int | None = None, **context) -> dict:
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
        "priority": priority,
        "organisation_id": organisation_id,
        "signature_id": signature_id,
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


def plain_name(full_name: str) -> str:
    """The first word of a name, if it is only letters (with apostrophes and hyphens), else
    nothing: the form in which a name a stranger typed may appear in a mail, where it can
    carry no link, no address and no markup."""
    words = full_name.split()
    word = words[0] if words else ""
    if len(word) > MAX_NAME_WORD or not all(
            unicodedata.category(c)[0] in "LM" or c in NAME_PUNCTUATION for c in word):
        return ""
    return word


def recipient_header(display_name: str, address: str) -> str:
    """A recipient as "Name <address>", built with `email.headerregistry.Address` from a
    display name reduced to `plain_name`, so that no name, however folded, can ever read as a
    second address. An internationalised domain is written in its ASCII form, so that only a
    non-ASCII local part needs a server that speaks SMTPUTF8."""
    local, _at, domain = address.rpartition("@")
    try:
        domain = idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        pass  # left as it is: the mail server will say whether it can deliver it
    return str(Address(display_name=plain_name(display_name), username=local, domain=domain))


def sender_header(display_name: str, address: str) -> str:
    """A sender as "Name <address>" with the characters that structure an address header
    taken out of the name, so that folding a long name can never split it into addresses."""
    name = " ".join(re.sub(r'[,;:"<>@\\()\[\]]', " ", display_name).split())[:MAX_DISPLAY_NAME]
    return str(Address(display_name=name, addr_spec=address))


def envelope_recipient(message: OutboxMessage) -> str:
    """The one address a message is handed to (SMTP's RCPT TO), read from the stored
    recipient; a recipient that is not exactly one address is refused."""
    addresses = policy.default.header_factory("To", message.recipient).addresses
    if len(addresses) != 1 or not addresses[0].domain:
        raise ValueError("the recipient is not exactly one address")
    return addresses[0].addr_spec


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


# What erasing a message leaves: when and what it was, and whether it went, but no recipient,
# no body and no headers (which may hold a signer's unsubscribe link).
_ERASED = {"recipient": "", "text_body": "", "html_body": None, "headers": {}}


def erase_old_messages(days: int) -> int:
    """Erase the recipient and bodies of messages sent or given up more than `days` ago;
    return how many. Flushes; the caller commits."""
    cutoff = utcnow() - timedelta(days=days)
    return db.session.execute(
        db.update(OutboxMessage)
        .where(OutboxMessage.erased_at.is_(None),
               or_(OutboxMessage.sent_at < cutoff, OutboxMessage.failed_at < cutoff))
        .values(**_ERASED, erased_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


def erase_signature_messages(signature_ids: list[int]) -> int:
    """Erase every message about these signatures at once (the signer withdrew, or the
    petition was anonymised); one not yet sent is cancelled. Return how many."""
    now = utcnow()
    erased = 0
    for start in range(0, len(signature_ids), 1000):
        chunk = signature_ids[start:start + 1000]
        erased += db.session.execute(
            db.update(OutboxMessage)
            .where(OutboxMessage.signature_id.in_(chunk), OutboxMessage.erased_at.is_(None))
            .values(**_ERASED, erased_at=now,
                    failed_at=db.func.coalesce(OutboxMessage.failed_at,
                                               db.case((OutboxMessage.sent_at.is_(None), now))),
                    claimed_until=None)
            .execution_options(synchronize_session=False)
        ).rowcount
    return erased


def undeliverable_messages(organisation_id: int, limit: int = 200) -> list[OutboxMessage]:
    """An organisation's messages given up after their last attempt, newest first."""
    return list(db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.organisation_id == organisation_id,
               OutboxMessage.failed_at.is_not(None), OutboxMessage.sent_at.is_(None),
               OutboxMessage.erased_at.is_(None))
        .order_by(OutboxMessage.failed_at.desc(), OutboxMessage.id.desc())
        .limit(limit)))


def retry_message(organisation_id: int, message_id: int) -> OutboxMessage | None:
    """Give an organisation's undeliverable message a fresh set of attempts, due now; None if
    it has no such message."""
    message = db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.organisation_id == organisation_id,
        OutboxMessage.failed_at.is_not(None), OutboxMessage.sent_at.is_(None),
        OutboxMessage.erased_at.is_(None)))
    if message is None:
        return None
    message.failed_at = None
    message.attempts = 0
    message.send_after = utcnow()
    message.claimed_until = None
    db.session.flush()
    return message
