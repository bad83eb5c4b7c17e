"""Owners manage their organisation's webhooks."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from campaign.accounts import audit
from campaign.accounts.models import Role
from campaign.errors import CampaignError
from campaign.exports.models import EVENTS, Webhook
from campaign.exports.webhooks import create_webhook, disable_webhook
from campaign.extensions import db
from campaign.web.formfields import refuse_invalid
from campaign.web.workspace.access import organiser_view, scoped_or_404
from campaign.web.workspace.forms.webhooks import WebhookForm

bp = Blueprint("webhooks", __name__, url_prefix="/o/<org_slug>/webhooks")


@bp.route("/", methods=["GET", "POST"])
@organiser_view(Role.OWNER)
def index():
    """List webhooks and add one; its signing secret is shown on this page."""
    form = WebhookForm()
    if form.is_submitted():
        try:
            refuse_invalid(form)
            hook = create_webhook(g.organisation.id, form.url.data, form.events.data)
        except CampaignError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            audit.record(g.organisation, "webhook.created", hook.url, events=hook.events)
            flash(_("Webhook added."))
        return redirect(url_for("workspace.webhooks.index", org_slug=g.organisation.slug))
    hooks = db.session.scalars(db.select(Webhook).where(
        Webhook.organisation_id == g.organisation.id).order_by(Webhook.id)).all()
    return render_template("workspace/webhooks/index.html", hooks=hooks, events=EVENTS)


@bp.post("/<int:webhook_id>/disable")
@organiser_view(Role.OWNER)
def disable(webhook_id: int):
    """Stop sending to a webhook."""
    hook = scoped_or_404(Webhook, webhook_id)
    disable_webhook(hook)
    audit.record(g.organisation, "webhook.disabled", hook.url)
    return redirect(url_for("workspace.webhooks.index", org_slug=g.organisation.slug))
