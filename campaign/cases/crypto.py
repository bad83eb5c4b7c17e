"""Encryption at rest for the most sensitive details of a person of concern: Fernet tokens
under CASES_ENCRYPTION_KEY, with older keys in CASES_ENCRYPTION_KEY_FALLBACKS still read."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from flask_babel import gettext as _

from campaign.errors import CampaignError


class EncryptionKeyMissing(CampaignError):
    """The registry was asked to store or read an encrypted detail without a key."""


def has_key() -> bool:
    return bool(current_app.config.get("CASES_ENCRYPTION_KEY"))


def require_key() -> str:
    key = current_app.config.get("CASES_ENCRYPTION_KEY")
    if not key:
        raise EncryptionKeyMissing(_(
            "Family contact details, notes, search steps and a representative's contact are "
            "stored encrypted, and no encryption key is configured. Leave those fields empty, "
            "or ask the administrator to set CASES_ENCRYPTION_KEY."
        ))
    return key


def _fernet() -> MultiFernet:
    key = require_key()
    fallbacks = current_app.config.get("CASES_ENCRYPTION_KEY_FALLBACKS") or []
    if isinstance(fallbacks, str):
        fallbacks = [fallbacks]
    keys = (key, *fallbacks)
    cache = current_app.extensions.setdefault("campaign.cases_fernet", {})
    if keys not in cache:
        try:
            cache[keys] = MultiFernet([Fernet(k) for k in keys])
        except (ValueError, TypeError) as error:
            raise RuntimeError(
                "CASES_ENCRYPTION_KEY (or a fallback) is not a Fernet key: 32 url-safe "
                "base64-encoded bytes, as printed by `python -c \"from cryptography.fernet "
                "import Fernet; print(Fernet.generate_key().decode())\"`"
            ) from error
    return cache[keys]


def encrypt(text: str | None) -> str | None:
    """The token to store for `text`; nothing is stored for an empty value."""
    if not text:
        return None
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str | None) -> str:
    if token is None:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise RuntimeError(
            "a stored detail cannot be decrypted with the configured key: was "
            "CASES_ENCRYPTION_KEY changed without keeping the old key in "
            "CASES_ENCRYPTION_KEY_FALLBACKS?"
        ) from error


def reencrypt(token: str | None) -> str | None:
    """The same detail under the current key (after a key rotation)."""
    return None if token is None else _fernet().rotate(token.encode("ascii")).decode("ascii")
