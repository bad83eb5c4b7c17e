"""A co-signing organisation, invited by link, reads a letter and signs it."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from campaign.accounts import audit
from campaign.letters import services
from campaign.letters.render import render_html
from campaign.web.public.forms import AcceptCosigningForm

bp = Blueprint("cosign", __name__)


@bp.route("/cosign/<token>", methods=["GET", "POST"])
def accept(token: str):
    """A co-signing organisation reads the letter and signs through its authorised person."""
    cosigner = services.find_cosigner(token)
    letter = cosigner.letter
    form = (AcceptCosigningForm.from_object(cosigner) if request.method == "GET"
            else AcceptCosigningForm())
    if form.validate_on_submit():
        services.accept_cosigning(cosigner, form.signatory_name.data, form.signatory_title.data)
        audit.record(letter.organisation, "letter.cosigner_accepted", cosigner.organisation_name)
        return render_template("public/cosign_done.html", cosigner=cosigner)
    status = 422 if form.errors else 200
    preview = render_html(services.current_document(letter), mode="fragment")
    return render_template("public/cosign.html", cosigner=cosigner, letter=letter, form=form,
                           preview=preview), status
