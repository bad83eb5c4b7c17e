"""Absolute links for mail, built from BASE_URL when it is set."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    # In production BASE_URL must be set: a Host header chosen by a client must never decide
    # where confirmation links point.
    base = current_app.config.get("BASE_URL")
    if has_request_context():
        if base:
            return base.rstrip("/") + url_for(endpoint, **values)
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context("/", base_url=base or "http://127.0.0.1:5000"):
        return url_for(endpoint, _external=True, **values)
