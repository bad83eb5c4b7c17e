"""Partner tracking: each partner promotes a petition with its own code and sees its own
counts through a secret link; it never sees signers' data."""

from __future__ import annotations

import re

from flask import Blueprint, Response, flash, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy import func

from campaign.accounts import audit
from campaign.accounts.access import organiser_view, scoped_or_404
from campaign.accounts.models import Role
from campaign.csvsafe import csv_lines
from campaign.errors import CampaignError, Conflict, NotFound
from campaign.extensions import db
from campaign.geography import country_name
from campaign.link_tokens import digest, new_secret
from campaign.petitions.models import Partner, Petition
from campaign.signatures.counters import utc_day
from campaign.signatures.models import Signature, SignatureState
from campaign.urls import external_url

bp = Blueprint("partners", __name__)
CODE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def add_partner(petition: Petition, name: str, code: str) -> tuple[Partner, str]:
    if not name.strip():
        raise CampaignError(_("Give the partner's name."))
    if not CODE.match(code or "") or code == "offline":
        raise CampaignError(_("A tracking code uses letters, digits, dots, hyphens and "
                              "underscores (and is not 'offline')."))
    if db.session.scalar(db.select(Partner.id).where(Partner.petition_id == petition.id,
                                                     Partner.code == code)):
        raise Conflict(_("Another partner already uses the code %(code)s.", code=code))
    raw, access_hash = new_secret()
    partner = Partner(petition=petition, name=name.strip()[:200], code=code,
                      access_hash=access_hash)
    db.session.add(partner)
    db.session.flush()
    return partner, raw


def partner_counts(partner: Partner) -> dict:
    confirmed = (Signature.petition_id == partner.petition_id, Signature.source == partner.code,
                 Signature.state == SignatureState.CONFIRMED)
    by_country = db.session.execute(
        db.select(Signature.country, func.count(Signature.id)).where(*confirmed)
        .group_by(Signature.country).order_by(func.count(Signature.id).desc())).all()
    day = utc_day(Signature.confirmed_at)
    by_day = db.session.execute(
        db.select(day, func.count(Signature.id)).where(*confirmed).group_by(day)
        .order_by(day)).all()
    return {"total": sum(n for _c, n in by_country), "by_country": by_country, "by_day": by_day}


@bp.route("/o/<org_slug>/petitions/<int:petition_id>/partners", methods=["GET", "POST"])
@organiser_view(Role.EDITOR)
def manage(petition_id: int):
    """List a petition's partners and add one."""
    petition = scoped_or_404(Petition, petition_id)
    new_link = None
    if request.method == "POST":
        try:
            partner, raw = add_partner(petition, request.form.get("name", ""),
                                       request.form.get("code", ""))
        except CampaignError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            audit.record(g.organisation, "partner.added", partner.name, code=partner.code,
                         petition=petition.slug)
            db.session.commit()
            new_link = external_url("partners.view", token=raw)
    partners = db.session.scalars(db.select(Partner).where(
        Partner.petition_id == petition.id).order_by(Partner.name)).all()
    return render_template("exports/partners.html", petition=petition, partners=partners,
                           new_link=new_link)


def _partner(token: str) -> Partner:
    partner = db.session.scalar(db.select(Partner).where(Partner.access_hash == digest(token)))
    if partner is None:
        raise NotFound(_("This partner link is not valid."))
    return partner


@bp.get("/partners/<token>")
def view(token: str):
    """A partner's own figures for the petition it promotes."""
    partner = _partner(token)
    response = Response(render_template(
        "exports/partner_view.html", partner=partner, counts=partner_counts(partner),
        link=external_url("public.petition", slug=partner.petition.slug, source=partner.code),
        token=token))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/partners/<token>/counts.csv")
def counts_csv(token: str):
    """A partner's counts by country and by day, as CSV."""
    partner = _partner(token)
    counts = partner_counts(partner)
    # No user is logged in here: the partner is named in the audit entry instead.
    audit.record(partner.petition.organisation, "export.partner_counts", partner.name,
                 code=partner.code)
    db.session.commit()
    rows = [("total", "", counts["total"])]
    rows += [("country", f"{code} {country_name(code)}", n) for code, n in counts["by_country"]]
    rows += [("day", day, n) for day, n in counts["by_day"]]
    body = "".join(csv_lines(("dimension", "key", "signatures"), rows))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{partner.code}-counts.csv"'
    return response
