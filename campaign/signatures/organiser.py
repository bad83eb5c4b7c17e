"""The organisers' side of signatures: the petitions list with figures, each petition's
dashboard, the signature list, and invalidation by criteria with undo."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.accounts import audit
from campaign.accounts.access import organiser_view, scoped_or_404
from campaign.accounts.models import Role
from campaign.errors import CampaignError
from campaign.extensions import db
from campaign.petitions.forms import OutcomeForm
from campaign.petitions.models import Petition
from campaign.signatures import counters, management
from campaign.signatures.charts import daily_series, signatures_per_day_svg
from campaign.signatures.forms import InvalidationForm, SignatureSearchForm
from campaign.signatures.models import CountDimension, SignatureInvalidation
from campaign.signatures.services import public_goal
from campaign.types import utcnow

bp = Blueprint("organise", __name__, url_prefix="/o/<org_slug>/petitions")

PAGE_SIZE = 50
MAX_PAGE = 2**31 - 1  # what the database's integers (and the API's schema) allow


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10 and 1 <= int(raw) <= MAX_PAGE):
        raise CampaignError(_("page must be a whole number from 1 to %(n)s.", n=MAX_PAGE))
    return int(raw)


def _petition(petition_id: int) -> Petition:
    return scoped_or_404(Petition, petition_id)


@bp.get("/")
@organiser_view(Role.VIEWER)
def petitions():
    """List the organisation's petitions with their figures."""
    rows = db.session.scalars(
        db.select(Petition).where(Petition.organisation_id == g.organisation.id)
        .order_by(Petition.created_at.desc())
    ).all()
    totals = counters.signature_counts(p.id for p in rows)
    return render_template("organise/petitions.html", petitions=rows, totals=totals)


@bp.get("/<int:petition_id>")
@organiser_view(Role.VIEWER)
def dashboard(petition_id: int):
    """Show a petition's figures: counts, confirmation rate, days, countries, sources."""
    petition = _petition(petition_id)
    confirmed = counters.signature_count(petition.id)
    pending = counters.pending_count(petition.id)
    by_day = counters.counts_by(petition.id, CountDimension.DAY)
    series = daily_series(by_day, utcnow().date())
    by_country = counters.counts_by(petition.id, CountDimension.COUNTRY)
    sources = list(counters.counts_by(petition.id, CountDimension.SOURCE).items())[:10]
    rate = confirmed / (confirmed + pending) if confirmed + pending else None
    return render_template(
        "organise/dashboard.html", petition=petition, confirmed=confirmed, pending=pending,
        rate=rate, goal=public_goal(petition, confirmed), by_country=by_country,
        sources=sources, chart=signatures_per_day_svg(series, _("Signatures per day")),
        outcome_form=OutcomeForm(obj=petition, outcome=petition.outcome.value
                                 if petition.outcome else ""),
    )


def _criteria(form) -> management.SignatureFilter:
    return management.SignatureFilter(
        text=(form.text.data or "").strip(),
        email_domain=(form.email_domain.data or "").strip(),
        country=(form.country.data or "").strip().upper(),
        state=form.state.data or "",
        source=(form.source.data or "").strip(),
        since=form.since.data,
        until=form.until.data,
    )


@bp.get("/<int:petition_id>/signatures")
@organiser_view(Role.EDITOR)
def signatures(petition_id: int):
    """Search the petition's signatures."""
    petition = _petition(petition_id)
    form = SignatureSearchForm(request.args, meta={"csrf": False})
    page = None
    if form.validate():
        query = management.filtered(petition, _criteria(form)).order_by(
            management.Signature.created_at.desc(), management.Signature.id.desc())
        page = db.paginate(query, page=_page_number(), per_page=PAGE_SIZE, error_out=False,
                           count=True)
    status = 422 if form.errors else 200
    return render_template("organise/signatures.html", petition=petition, form=form,
                           page=page), status


@bp.route("/<int:petition_id>/invalidate", methods=["GET", "POST"])
@organiser_view(Role.EDITOR)
def invalidate(petition_id: int):
    """Invalidate signatures by criteria: first a preview count, then the act with a reason."""
    petition = _petition(petition_id)
    form = InvalidationForm()
    preview = None
    if form.validate_on_submit():
        criteria = _criteria(form)
        try:
            if "confirm" in request.form:
                done = management.invalidate(petition, criteria, form.reason.data, current_user)
                audit.record(g.organisation, "signatures.invalidated", petition.slug,
                             count=done.count, reason=done.reason, criteria=done.criteria)
                db.session.commit()
                flash(_("%(n)s signatures invalidated.", n=done.count))
                return redirect(url_for("organise.invalidate", org_slug=g.organisation.slug,
                                        petition_id=petition.id))
            if criteria.is_empty():
                raise CampaignError(_("Choose at least one criterion: an invalidation never "
                                      "takes out every signature at once."))
            preview = management.preview_invalidation(petition, criteria)
        except CampaignError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("organise/invalidate.html", petition=petition, form=form,
                           preview=preview, history=management.invalidations(petition)), status


@bp.post("/<int:petition_id>/invalidations/<int:invalidation_id>/undo")
@organiser_view(Role.EDITOR)
def undo_invalidation(petition_id: int, invalidation_id: int):
    """Undo an invalidation: its signatures count again."""
    petition = _petition(petition_id)
    invalidation = db.session.scalar(db.select(SignatureInvalidation).where(
        SignatureInvalidation.id == invalidation_id,
        SignatureInvalidation.petition_id == petition.id))
    if invalidation is None:
        abort(404)
    restored = management.undo_invalidation(invalidation, current_user)
    audit.record(g.organisation, "signatures.invalidation_undone", petition.slug,
                 invalidation=invalidation.id, restored=restored)
    db.session.commit()
    flash(_("%(n)s signatures restored.", n=restored))
    return redirect(url_for("organise.invalidate", org_slug=g.organisation.slug,
                            petition_id=petition.id))

