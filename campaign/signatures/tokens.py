"""Secrets mailed to signers: unguessable, stored only as a hash, single-use, expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from campaign.extensions import db
from campaign.signatures.models import Signature, SignatureToken, TokenPurpose

TOKEN_BYTES = 32  # 256 bits from the operating system's CSPRNG


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_token(signature: Signature, purpose: TokenPurpose,
                expires_at: datetime | None = None) -> str:
    """Create a token for `signature` and return the raw value; only its hash is kept."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(
        SignatureToken(signature=signature, purpose=purpose, token_hash=hash_token(raw),
                       expires_at=expires_at)
    )
    return raw


def find_token(raw: str, purpose: TokenPurpose) -> SignatureToken | None:
    if not raw or len(raw) > 100:
        return None
    return db.session.scalar(
        db.select(SignatureToken).where(
            SignatureToken.token_hash == hash_token(raw), SignatureToken.purpose == purpose
        )
    )
