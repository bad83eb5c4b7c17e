"""Owners see their organisation's messages that could not be delivered, with the error, and
send them again."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.accounts import audit
from campaign.accounts.models import Role
from campaign.mail.services import retry_message, undeliverable_messages
from campaign.web.workspace.access import organiser_view

bp = Blueprint("undelivered", __name__, url_prefix="/o/<org_slug>/undelivered")

KIND_LABELS = {
    "signature.confirm": _l("Confirmation mail to a signer"),
    "signature.duplicate": _l("“Already signed” mail to a signer"),
    "petition.update": _l("Update mailed to a signer"),
    "account.invitation": _l("Invitation to join the organisation"),
    "letter.cosign": _l("Invitation to co-sign a letter"),
}


def describe(message) -> str:
    """What a message was, in words; never who a signer is."""
    if message.transport == "http":
        return _("Webhook %(event)s to %(url)s", event=message.subject, url=message.recipient)
    return str(KIND_LABELS.get(message.kind, message.kind))


@bp.get("/")
@organiser_view(Role.OWNER)
def index():
    """List the messages given up after their last attempt, with the error."""
    messages = undeliverable_messages(g.organisation.id)
    return render_template("workspace/undelivered/index.html", messages=messages,
                           describe=describe)


@bp.post("/<int:message_id>/retry")
@organiser_view(Role.OWNER)
def retry(message_id: int):
    """Try an undelivered message again, with a fresh set of attempts."""
    message = retry_message(g.organisation.id, message_id)
    if message is None:
        abort(404)
    audit.record(g.organisation, "outbox.retried", message.kind, message=message.id)
    flash(_("The message will be sent again in a moment."))
    return redirect(url_for("workspace.undelivered.index", org_slug=g.organisation.slug))
