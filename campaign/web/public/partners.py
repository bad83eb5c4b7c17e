"""A partner's own figures for the petition it promotes, through its secret link."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from campaign.accounts import audit
from campaign.csvsafe import csv_lines
from campaign.exports.partners import find_partner, partner_counts
from campaign.geography import country_name
from campaign.urls import external_url

bp = Blueprint("partners", __name__)


@bp.get("/partners/<token>")
def view(token: str):
    """A partner's own figures for the petition it promotes."""
    partner = find_partner(token)
    response = Response(render_template(
        "public/partner.html", partner=partner, counts=partner_counts(partner),
        link=external_url("public.pages.petition", slug=partner.petition.slug, source=partner.code),
        token=token))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/partners/<token>/counts.csv")
def counts_csv(token: str):
    """A partner's counts by country and by day, as CSV."""
    partner = find_partner(token)
    counts = partner_counts(partner)
    # No user is logged in here: the partner is named in the audit entry instead.
    audit.record(partner.petition.organisation, "export.partner_counts", partner.name,
                 code=partner.code)
    rows = [("total", "", counts["total"])]
    rows += [("country", f"{code} {country_name(code)}", n) for code, n in counts["by_country"]]
    rows += [("day", day, n) for day, n in counts["by_day"]]
    body = "".join(csv_lines(("dimension", "key", "signatures"), rows))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{partner.code}-counts.csv"'
    return response
