"""What makes mail arrive and lets bounces find their way back: a VERP envelope sender per
message (the Return-Path a bounce is sent to, naming the message), a DKIM signature when a key
is configured, and the message as the exact bytes that are signed and sent."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from functools import cache
from pathlib import Path

import dkim

from campaign.mail.models import OutboxMessage
from campaign.mail.services import build_email, envelope_recipient

# Headers the DKIM signature covers, where present: enough that none of what a reader sees or
# acts on can be changed in transit.
SIGNED_HEADERS = (b"From", b"To", b"Subject", b"Date", b"Message-ID", b"MIME-Version",
                  b"Content-Type", b"Content-Transfer-Encoding", b"List-Unsubscribe",
                  b"List-Unsubscribe-Post")
VERP_PATTERN = re.compile(r"^(?P<local>[^+@]+)\+(?P<id>\d{1,12})-(?P<check>[0-9a-f]{12})@"
                          r"(?P<domain>[^@]+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Outgoing:
    """A message ready for a backend: the parsed form (for the memory backend and logs), the
    envelope, and the bytes to hand over unchanged (a DKIM signature covers them)."""

    email: EmailMessage
    recipient: str
    envelope_from: str
    raw: bytes
    smtputf8: bool


def prepare(message: OutboxMessage, config) -> Outgoing:
    """Build, address, sign and serialise an outbox message."""
    email = build_email(message)
    recipient = envelope_recipient(message)
    envelope_from = verp_address(message.id, config) or parseaddr(message.sender)[1]
    # Non-ASCII in an address (not in a display name, which is encoded) needs SMTPUTF8 and
    # UTF-8 headers (RFC 6531/6532).
    addresses = [recipient, envelope_from, *(a.addr_spec for name in ("From", "To")
                                             for a in email[name].addresses)]
    smtputf8 = not all(address.isascii() for address in addresses)
    raw = email.as_bytes(policy=email.policy.clone(utf8=smtputf8, linesep="\r\n"))
    signature = dkim_signature(raw, config)
    if signature:
        raw = signature + raw
        name, _colon, value = signature.decode("ascii").partition(":")
        email[name] = " ".join(value.split())
    return Outgoing(email, recipient, envelope_from, raw, smtputf8)


def _check(message_id: int, secret: str) -> str:
    return hmac.new(secret.encode(), f"bounce:{message_id}".encode(),
                    hashlib.sha256).hexdigest()[:12]


def verp_address(message_id: int, config) -> str | None:
    """The envelope sender of one message, `local+<id>-<check>@domain` from
    MAIL_BOUNCE_ADDRESS; None when no bounce address is configured. The check (a keyed
    digest) means nobody can forge a bounce that suppresses an address we did not mail."""
    bounce = config.get("MAIL_BOUNCE_ADDRESS")
    if not bounce:
        return None
    local, _at, domain = parseaddr(bounce)[1].rpartition("@")
    return f"{local}+{message_id}-{_check(message_id, config['SECRET_KEY'])}@{domain}"


def message_id_from_verp(address: str, config) -> int | None:
    """The outbox message a VERP address names, if its check is right."""
    match = VERP_PATTERN.match(address.strip().strip("<>"))
    if match is None:
        return None
    message_id = int(match["id"])
    if not hmac.compare_digest(match["check"].lower(), _check(message_id, config["SECRET_KEY"])):
        return None
    return message_id


@cache
def _read_key(path: str) -> bytes:
    return Path(path).read_bytes()


def dkim_key(config) -> bytes | None:
    """The private key (PEM) from DKIM_PRIVATE_KEY or the file DKIM_PRIVATE_KEY_PATH."""
    if config.get("DKIM_PRIVATE_KEY"):
        return config["DKIM_PRIVATE_KEY"].encode()
    if config.get("DKIM_PRIVATE_KEY_PATH"):
        return _read_key(config["DKIM_PRIVATE_KEY_PATH"])
    return None


def dkim_signature(raw: bytes, config) -> bytes | None:
    """The DKIM-Signature header line for these bytes (relaxed/relaxed, RSA-SHA256), or None
    when DKIM_SELECTOR, DKIM_DOMAIN and a key are not all configured."""
    key = dkim_key(config)
    if not (key and config.get("DKIM_SELECTOR") and config.get("DKIM_DOMAIN")):
        return None
    return dkim.sign(raw, config["DKIM_SELECTOR"].encode(), config["DKIM_DOMAIN"].encode(), key,
                     canonicalize=(b"relaxed", b"relaxed"), include_headers=list(SIGNED_HEADERS))
