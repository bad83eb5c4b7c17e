"""Owners create and revoke their organisation's API keys; a key is shown once."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from campaign.accounts import audit, tokens
from campaign.accounts.models import ApiToken, Role, TokenScope
from campaign.extensions import db
from campaign.web.formfields import flash_errors
from campaign.web.workspace.access import organiser_view, scoped_or_404
from campaign.web.workspace.forms.keys import KeyForm

bp = Blueprint("keys", __name__, url_prefix="/o/<org_slug>/tokens")


@bp.route("", methods=["GET", "POST"])
@organiser_view(Role.OWNER)
def index():
    """List, create and revoke the organisation's API keys."""
    created = None
    form = KeyForm()
    if form.is_submitted():
        if not form.validate():
            flash_errors(form)
        else:
            token, created = tokens.create_token(g.organisation, TokenScope(form.scope.data),
                                                 form.name.data)
            audit.record(g.organisation, "token.created", token.prefix, scope=form.scope.data)
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
