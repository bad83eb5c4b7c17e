"""The organisers' side of signatures: each petition's dashboard of figures, the signature
list, and invalidation by criteria with undo."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.accounts import audit
from campaign.accounts.models import Role
from campaign.errors import CampaignError
from campaign.extensions import db
from campaign.link_tokens import seal, unseal
from campaign.petitions.models import Petition
from campaign.signatures import counters, management
from campaign.signatures.charts import daily_series, signatures_per_day_svg
from campaign.signatures.models import CountDimension, SignatureInvalidation
from campaign.signatures.services import public_goal
from campaign.types import utcnow
from campaign.web.workspace.access import organiser_view, scoped_or_404
from campaign.web.workspace.forms.petitions import OutcomeForm
from campaign.web.workspace.forms.signatures import InvalidationForm, SignatureSearchForm

bp = Blueprint("signatures", __name__, url_prefix="/o/<org_slug>/petitions")

PAGE_SIZE = 50
MAX_PAGE = 2**31 - 1  # what the database's integers (and the API's schema) allow


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10 and 1 <= int(raw) <= MAX_PAGE):
        raise CampaignError(_("page must be a whole number from 1 to %(n)s.", n=MAX_PAGE))
    return int(raw)


def _petition(petition_id: int) -> Petition:
    return scoped_or_404(Petition, petition_id)


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
        "workspace/signatures/dashboard.html", petition=petition, confirmed=confirmed,
        pending=pending, rate=rate, goal=public_goal(petition, confirmed), by_country=by_country,
        sources=sources, chart=signatures_per_day_svg(series, _("Signatures per day")),
        outcome_form=OutcomeForm.from_object(petition),
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
def index(petition_id: int):
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
    return render_template("workspace/signatures/index.html", petition=petition, form=form,
                           page=page), status


PREVIEW_PURPOSE = "invalidation-preview"
PREVIEW_SECONDS = 3600


def _sealed_preview(petition: Petition, criteria, preview: management.Preview) -> str:
    return seal(PREVIEW_PURPOSE, {"petition": petition.id, "criteria": criteria.describe(),
                                  "count": preview.count, "up_to_id": preview.up_to_id})


def _previewed(petition: Petition):
    """The criteria and count of the preview the confirmation form carries, or None."""
    sealed = unseal(PREVIEW_PURPOSE, request.form.get("preview_token", ""), PREVIEW_SECONDS)
    if not sealed or sealed.get("petition") != petition.id:
        return None
    criteria = management.SignatureFilter.from_description(sealed["criteria"])
    return criteria, management.Preview(sealed["count"], sealed["up_to_id"])


def _invalidate_previewed(petition: Petition, form: InvalidationForm):
    """Act on exactly what was previewed; the criteria fields of the request are not read."""
    previewed = _previewed(petition)
    if previewed is None:
        raise CampaignError(_("Count the matching signatures first (a count is valid for an "
                              "hour), then invalidate them."))
    criteria, preview = previewed
    done = management.invalidate(petition, criteria, form.reason.data, current_user, preview)
    audit.record(g.organisation, "signatures.invalidated", petition.slug,
                 count=done.count, reason=done.reason, criteria=done.criteria)
    flash(_("%(n)s signatures invalidated.", n=done.count))
    return redirect(url_for("workspace.signatures.invalidate", org_slug=g.organisation.slug,
                            petition_id=petition.id))


@bp.route("/<int:petition_id>/invalidate", methods=["GET", "POST"])
@organiser_view(Role.EDITOR)
def invalidate(petition_id: int):
    """Invalidate signatures by criteria: first a preview count, then the act with a reason,
    on exactly the criteria counted."""
    petition = _petition(petition_id)
    form = InvalidationForm()
    preview = token = criteria = None
    if form.validate_on_submit():
        try:
            if "confirm" in request.form:
                return _invalidate_previewed(petition, form)
            criteria = _criteria(form)
            if criteria.is_empty():
                raise CampaignError(_("Choose at least one criterion: an invalidation never "
                                      "takes out every signature at once."))
            preview = management.preview_invalidation(petition, criteria)
            token = _sealed_preview(petition, criteria, preview)
        except CampaignError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
            previewed = _previewed(petition) if "confirm" in request.form else None
            if previewed is not None:  # count the same criteria again, with the error
                criteria = previewed[0]
                for name, value in asdict(criteria).items():
                    getattr(form, name).data = value or None
                preview = management.preview_invalidation(petition, criteria)
                token = _sealed_preview(petition, criteria, preview)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("workspace/signatures/invalidate.html", petition=petition, form=form,
                           preview=preview, preview_token=token,
                           counted=criteria.describe() if preview is not None else None,
                           history=management.invalidations(petition)), status


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
    flash(_("%(n)s signatures restored.", n=restored))
    return redirect(url_for("workspace.signatures.invalidate", org_slug=g.organisation.slug,
                            petition_id=petition.id))

