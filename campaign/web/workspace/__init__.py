"""What organisers use: signing in, and under /o/<org>/ one module per domain, each checked
by `access.organiser_view`. Endpoints are named `workspace.<module>.<view>`."""

from __future__ import annotations

from flask import Blueprint

from campaign.web.workspace import (
    audit,
    exports,
    keys,
    letters,
    members,
    paper,
    partners,
    petitions,
    signatures,
    signin,
    undelivered,
    webhooks,
)

bp = Blueprint("workspace", __name__)
for module in (signin, petitions, signatures, letters, members, keys, webhooks, undelivered,
               partners, exports, paper, audit):
    bp.register_blueprint(module.bp)
