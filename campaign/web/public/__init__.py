"""What supporters and other sites see: the petitions, signing and the links mailed to
signers, embeds and badges, partners' figures, co-signing a letter, and the health check.
Endpoints are named `public.<module>.<view>`."""

from __future__ import annotations

from flask import Blueprint

from campaign.web.public import cosign, embeds, health, pages, partners, signing

bp = Blueprint("public", __name__)
for module in (pages, signing, embeds, partners, cosign, health):
    bp.register_blueprint(module.bp)
