"""Bounces and complaints that come back to the VERP addresses: reading them (RFC 3464
delivery status notifications, RFC 5965 abuse reports) from the bounce mailbox over IMAP, and
suppressing the addresses that bounced for good or complained."""

from __future__ import annotations

import imaplib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message
from email.utils import getaddresses

from campaign.extensions import db
from campaign.mail.deliverability import message_id_from_verp
from campaign.mail.models import OutboxMessage
from campaign.mail.services import envelope_recipient
from campaign.mail.suppressions import suppress
from campaign.types import utcnow

HARD, SOFT, COMPLAINT, UNKNOWN = "hard", "soft", "complaint", "unknown"
# Where the address a bounce was sent to may be found: the VERP address is the envelope
# sender of our message, so a bounce is addressed to it, and an abuse report quotes it as the
# original's Return-Path.
ADDRESS_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Return-Path")


@dataclass(frozen=True)
class Bounce:
    kind: str  # hard | soft | complaint | unknown
    message_id: int | None  # the outbox message its VERP address names, if genuine
    recipient: str | None  # as the report names it
    status: str | None  # "5.1.1", or the feedback type of a complaint


def parse_bounce(raw: bytes, config) -> Bounce:
    """What a message in the bounce mailbox reports."""
    report = message_from_bytes(raw, policy=policy.default)
    message_id = _verp_message_id(report, config)
    content_type = report.get_content_type()
    report_type = (report.get_param("report-type") or "").lower()
    if content_type == "multipart/report" and report_type == "feedback-report":
        return _complaint(report, config, message_id)
    if content_type == "multipart/report" and report_type == "delivery-status":
        return _delivery_status(report, message_id)
    return Bounce(UNKNOWN, message_id, None, None)


def _verp_message_id(report: Message, config) -> int | None:
    for part in _with_quoted_originals(report):
        for name in ADDRESS_HEADERS:
            for _name, address in getaddresses(part.get_all(name, [])):
                found = message_id_from_verp(address, config)
                if found is not None:
                    return found
    return None


def _with_quoted_originals(report: Message) -> Iterator[Message]:
    yield report
    for part in report.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
            payload = part.get_payload()
            if isinstance(payload, list):
                yield from payload
            elif isinstance(payload, str):
                yield message_from_bytes(payload.encode("utf-8", "replace"),
                                         policy=policy.default)


def _delivery_status(report: Message, message_id: int | None) -> Bounce:
    """RFC 3464: one block per recipient; a failed action with a 5.x.x status is for good."""
    for part in report.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in part.get_payload():
            action = (block.get("Action") or "").strip().lower()
            if not action:
                continue  # the per-message block
            status = (block.get("Status") or "").strip().split(" ")[0] or None
            recipient = _address(block.get("Final-Recipient") or block.get("Original-Recipient"))
            if action == "failed" and (status or "5").startswith("5"):
                return Bounce(HARD, message_id, recipient, status)
            return Bounce(SOFT, message_id, recipient, status)
    return Bounce(UNKNOWN, message_id, None, None)


def _complaint(report: Message, config, message_id: int | None) -> Bounce:
    feedback_type = None
    for part in report.walk():
        if part.get_content_type() == "message/feedback-report":
            blocks = part.get_payload()
            fields = blocks[0] if isinstance(blocks, list) and blocks else part
            feedback_type = (fields.get("Feedback-Type") or "abuse").strip().lower()
            recipient = _address(fields.get("Original-Rcpt-To"))
            return Bounce(COMPLAINT, message_id, recipient, feedback_type)
    return Bounce(COMPLAINT, message_id, None, feedback_type)


def _address(field: str | None) -> str | None:
    """`rfc822; anna@example.org` as in a delivery status field, or a bare address."""
    if not field:
        return None
    value = str(field).partition(";")[2] or str(field)
    return value.strip().strip("<>") or None


@dataclass(frozen=True)
class Outcome:
    bounce: Bounce
    suppressed: str | None  # the address put on the list, if any


def record_bounce(bounce: Bounce) -> Outcome:
    """Mark the message a hard bounce or complaint is about and suppress its recipient. A
    report whose VERP address is not ours (or forged) suppresses nothing; a soft bounce
    neither (the outbox retries, and the next hard bounce will tell)."""
    if bounce.kind not in (HARD, COMPLAINT) or bounce.message_id is None:
        return Outcome(bounce, None)
    message = db.session.get(OutboxMessage, bounce.message_id)
    if message is None:
        return Outcome(bounce, None)
    message.bounced_at = message.bounced_at or utcnow()
    try:
        address = envelope_recipient(message)
    except ValueError:  # erased since: the report's own address is all there is
        address = bounce.recipient
    if not address:
        return Outcome(bounce, None)
    reason = "complaint" if bounce.kind == COMPLAINT else "bounce"
    suppress(address, reason, detail=f"{bounce.kind} {bounce.status or ''}".strip(),
             organisation_id=message.organisation_id)
    return Outcome(bounce, address)


def read_imap(config, *, delete: bool = False) -> Iterator[tuple[bytes, Callable[[], None]]]:
    """The unread messages of the bounce mailbox (BOUNCE_IMAP_*), each with a callable that
    marks it done (seen, or deleted with `delete`) once it has been recorded."""
    if not config.get("BOUNCE_IMAP_HOST"):
        raise RuntimeError("BOUNCE_IMAP_HOST is not set: there is no bounce mailbox to read.")
    return _imap_messages(config, delete)


def _imap_messages(config, delete: bool) -> Iterator[tuple[bytes, Callable[[], None]]]:
    host = config["BOUNCE_IMAP_HOST"]
    imap_class = imaplib.IMAP4_SSL if config.get("BOUNCE_IMAP_SSL", True) else imaplib.IMAP4
    connection = imap_class(host, int(config.get("BOUNCE_IMAP_PORT") or 993), timeout=30)
    try:
        connection.login(config.get("BOUNCE_IMAP_USERNAME") or "",
                         config.get("BOUNCE_IMAP_PASSWORD") or "")
        connection.select(config.get("BOUNCE_IMAP_FOLDER") or "INBOX")
        _status, found = connection.uid("SEARCH", None, "UNSEEN")
        for uid in (found[0] or b"").split():
            _status, parts = connection.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
            if raw is None:
                continue

            def done(uid=uid) -> None:
                flag = r"(\Deleted \Seen)" if delete else r"(\Seen)"
                connection.uid("STORE", uid, "+FLAGS", flag)

            yield raw, done
        if delete:
            connection.expunge()
    finally:
        try:
            connection.logout()
        except (imaplib.IMAP4.error, OSError):
            pass

