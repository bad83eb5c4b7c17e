"""Organisers export counts and signatures; every export goes into the audit log."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, g, jsonify, request, stream_with_context
from flask_babel import gettext as _

from campaign.accounts import audit
from campaign.accounts.models import Role
from campaign.csvsafe import safe_cell
from campaign.errors import CampaignError
from campaign.exports.streams import (
    DIMENSIONS,
    SIGNATURE_COLUMNS,
    count_rows,
    csv_stream,
    jsonl_stream,
    signature_batches,
)
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.web.workspace.access import organiser_view, scoped_or_404

bp = Blueprint("exports", __name__, url_prefix="/o/<org_slug>/exports")


def _date(name: str) -> date | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        message = _("%(name)s must be a date written as YYYY-MM-DD.", name=name)
        raise CampaignError(message) from None


def _petitions() -> list[Petition]:
    wanted = request.args.get("petition", "all")
    query = db.select(Petition).where(Petition.organisation_id == g.organisation.id)
    if wanted != "all":
        if not wanted.isdigit():
            raise CampaignError(_("petition must be a petition's id or all."))
        query = query.where(Petition.id == int(wanted))
    found = db.session.scalars(query).all()
    if wanted != "all" and not found:
        raise CampaignError(_("No petition of your organisation has this id."), 404)
    return list(found)


def _attachment(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/counts.<fmt>")
@organiser_view(Role.VIEWER)
def counts(fmt: str):
    """Confirmed counts by total, country, day or source, over a date range, as CSV or JSON."""
    if fmt not in ("csv", "json"):
        raise CampaignError(_("Counts come as csv or json."), 404)
    dimension = request.args.get("by", "total")
    if dimension not in DIMENSIONS:
        raise CampaignError(_("by must be one of %(choices)s.", choices=", ".join(DIMENSIONS)))
    since, until = _date("since"), _date("until")
    if since and until and since > until:
        raise CampaignError(_("since must not be after until."))
    petitions = _petitions()
    rows = count_rows([p.id for p in petitions], dimension, since, until)
    audit.record(g.organisation, "export.counts", dimension, format=fmt,
                 petitions=[p.slug for p in petitions],
                 since=since.isoformat() if since else None,
                 until=until.isoformat() if until else None)
    if fmt == "json":
        return _attachment(jsonify(
            by=dimension, since=since.isoformat() if since else None,
            petitions=[{"petition": p.slug, "state": p.current_state.value,
                        "closed_at": p.ended_at.isoformat() if p.ended_at else None}
                       for p in petitions],
            until=until.isoformat() if until else None,
            rows=[{"petition": slug, "key": key, "signatures": count}
                  for slug, key, count in rows]), f"counts-by-{dimension}.json")
    safe_rows = [(safe_cell(slug), safe_cell(key), count) for slug, key, count in rows]
    body = "".join(csv_stream(("petition", dimension if dimension != "total" else "key",
                               "signatures"), [safe_rows], bom=request.args.get("bom") == "1"))
    return _attachment(Response(body, mimetype="text/csv"), f"counts-by-{dimension}.csv")


@bp.get("/petitions/<int:petition_id>/signatures.<fmt>")
@organiser_view(Role.EDITOR)
def signatures(petition_id: int, fmt: str):
    """Every signature of a petition, streamed as CSV or JSON lines; emails only of signers
    who agreed to be contacted."""
    if fmt not in ("csv", "jsonl"):
        raise CampaignError(_("Signatures come as csv or jsonl."), 404)
    petition = scoped_or_404(Petition, petition_id)
    state = request.args.get("state") or None
    if state not in (None, "pending", "confirmed", "invalidated", "withdrawn"):
        raise CampaignError(_("state must be pending, confirmed, invalidated or withdrawn."))
    audit.record(g.organisation, "export.signatures", petition.slug, format=fmt, state=state)
    rows = signature_batches(petition.id, with_emails=True, state=state)
    if fmt == "jsonl":
        stream = jsonl_stream(SIGNATURE_COLUMNS, rows)
        mimetype = "application/x-ndjson"
    else:
        stream = csv_stream(SIGNATURE_COLUMNS, rows, bom=request.args.get("bom") == "1")
        mimetype = "text/csv"
    response = Response(stream_with_context(stream), mimetype=mimetype)
    return _attachment(response, f"{petition.slug}-signatures.{fmt}")
