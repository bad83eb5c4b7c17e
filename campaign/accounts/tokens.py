"""API tokens: created for one organisation with a scope, shown once, stored hashed,
revocable, and their last use recorded."""

from __future__ import annotations

import secrets
from datetime import timedelta

from campaign.accounts.models import ApiToken, Organisation, TokenScope
from campaign.extensions import db
from campaign.link_tokens import digest
from campaign.types import utcnow

PREFIX = "cpn_"
# Recording every use would make each API read a write; once a minute is enough to audit.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def create_token(organisation: Organisation, scope: TokenScope,
                 name: str = "") -> tuple[ApiToken, str]:
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(organisation=organisation, scope=scope, name=name.strip()[:100],
                     token_hash=digest(raw), prefix=raw[:10])
    db.session.add(token)
    db.session.flush()
    return token, raw


def find_active_token(raw: str) -> ApiToken | None:
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == digest(raw)))
    if token is None or token.revoked_at is not None:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token


def revoke(token: ApiToken) -> None:
    token.revoked_at = token.revoked_at or utcnow()
    db.session.flush()
