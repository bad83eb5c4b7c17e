"""Owners create and revoke their organisation's API keys; a key is shown once."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.accounts import audit, tokens
from campaign.accounts.models import ApiToken, Role, TokenScope
from campaign.extensions import db
from campaign.web.workspace.access import organiser_view, scoped_or_404

bp = Blueprint("keys", __name__, url_prefix="/o/<org_slug>/tokens")


@bp.route("", methods=["GET", "POST"])
@organiser_view(Role.OWNER)
def index():
    """List, create and revoke the organisation's API keys."""
    created = None
    if request.method == "POST":
        scope = request.form.get("scope", "")
        name = request.form.get("name", "").strip()
        if scope not in {s.value for s in TokenScope}:
            flash(_("Choose read or write."), "error")
        elif not name:
            # The name is what the audit log shows for every change made with the key.
            flash(_("Say what the key is for: its name appears in the audit log."), "error")
        else:
            token, created = tokens.create_token(g.organisation, TokenScope(scope), name)
            audit.record(g.organisation, "token.created", token.prefix, scope=scope)
    listed = db.session.scalars(db.select(ApiToken).where(
        ApiToken.organisation_id == g.organisation.id).order_by(ApiToken.created_at.desc())).all()
    return render_template("workspace/keys/index.html", tokens=listed, created=created)


@bp.post("/<int:token_id>/revoke")
@organiser_view(Role.OWNER)
def revoke(token_id: int):
    """Revoke an API key: it stops working at once."""
    token = scoped_or_404(ApiToken, token_id)
    tokens.revoke(token)
    audit.record(g.organisation, "token.revoked", token.prefix)
    flash(_("Key %(prefix)s... revoked.", prefix=token.prefix))
    return redirect(url_for("workspace.keys.index", org_slug=g.organisation.slug))
