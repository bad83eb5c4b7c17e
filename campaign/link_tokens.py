"""Single-use secrets sent by mail (a raw value for the link, a SHA-256 for the database), and
signed values that a form carries from one step to the next."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits from the operating system's CSPRNG


def new_secret() -> tuple[str, str]:
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    return raw, digest(raw)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def seal(purpose: str, data) -> str:
    """Data signed with the application's key, for a form to carry from one step to the next
    (what was previewed is what is acted on); `purpose` keeps one kind from passing for
    another."""
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose).dumps(data)


def unseal(purpose: str, token: str, max_age: int):
    """The data `seal` signed, or None if the token is not genuine or is too old."""
    from flask import current_app
    from itsdangerous import BadData, URLSafeTimedSerializer

    try:
        return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose).loads(
            token or "", max_age=max_age)
    except BadData:
        return None
