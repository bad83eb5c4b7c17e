"""Absolute links, always built from BASE_URL: never from the Host or X-Forwarded-Host a
client sent."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """The absolute address of `endpoint` on the public site (BASE_URL), for mail, embeds,
    share links and the API."""
    base = current_app.config["BASE_URL"]
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context("/", base_url=base):
        return url_for(endpoint, _external=True, **values)
