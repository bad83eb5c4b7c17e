"""The three doors over the domains (public pages, the organisers' workspace, the JSON API)
and the hooks every request goes through."""

from __future__ import annotations

from flask import Flask, g, has_request_context
from flask_login import current_user

from campaign.accounts import audit


def register(app: Flask) -> None:
    """Blueprints of the three doors, and the request hooks that belong to serving pages."""
    from campaign.web import ops, pagecache
    from campaign.web.api import bp as api_bp
    from campaign.web.public import bp as public_bp
    from campaign.web.workspace import bp as workspace_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(workspace_bp)
    app.register_blueprint(api_bp)
    ops.install(app)
    app.after_request(pagecache.keep_personal_pages_private)
    app.extensions[audit.ACTOR_SOURCE] = request_actor


def request_actor() -> audit.Actor:
    """Who acts in this request, for the audit log: the signed-in organiser, or the API key."""
    if not has_request_context():
        return None, None
    token = g.get("api_token")
    user_id = current_user.id if current_user.is_authenticated else None
    return user_id, token.id if token is not None else None
