"""Organisers add partners to a petition; each gets a tracking code and a secret link."""

from __future__ import annotations

from flask import Blueprint, flash, g, render_template

from campaign.accounts import audit
from campaign.accounts.models import Role
from campaign.errors import CampaignError
from campaign.exports.partners import add_partner
from campaign.extensions import db
from campaign.petitions.models import Partner, Petition
from campaign.urls import external_url
from campaign.web.formfields import refuse_invalid
from campaign.web.workspace.access import organiser_view, scoped_or_404
from campaign.web.workspace.forms.partners import PartnerForm

bp = Blueprint("partners", __name__, url_prefix="/o/<org_slug>/petitions")


@bp.route("/<int:petition_id>/partners", methods=["GET", "POST"])
@organiser_view(Role.EDITOR)
def index(petition_id: int):
    """List a petition's partners and add one."""
    petition = scoped_or_404(Petition, petition_id)
    new_link = None
    form = PartnerForm()
    if form.is_submitted():
        try:
            refuse_invalid(form)
            partner, raw = add_partner(petition, form.name.data, form.code.data)
        except CampaignError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            audit.record(g.organisation, "partner.added", partner.name, code=partner.code,
                         petition=petition.slug)
            new_link = external_url("public.partners.view", token=raw)
    partners = db.session.scalars(db.select(Partner).where(
        Partner.petition_id == petition.id).order_by(Partner.name)).all()
    return render_template("workspace/partners/index.html", petition=petition, partners=partners,
                           new_link=new_link)
