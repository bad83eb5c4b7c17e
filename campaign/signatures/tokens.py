"""Secrets mailed to signers: unguessable, stored only as a hash, single-use, expiring."""

from __future__ import annotations

from datetime import datetime

from campaign.extensions import db
from campaign.link_tokens import digest as hash_token
from campaign.link_tokens import new_secret
from campaign.signatures.models import Signature, SignatureToken, TokenPurpose


def issue_token(signature: Signature, purpose: TokenPurpose,
                expires_at: datetime | None = None) -> str:
    """Create a token for `signature` and return the raw value; only its hash is kept."""
    raw, token_hash = new_secret()
    db.session.add(
        SignatureToken(signature=signature, purpose=purpose, token_hash=token_hash,
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
