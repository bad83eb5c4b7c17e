"""Organisers write petitions: the list with figures, create, edit with a preview, publish,
close, record outcomes, and post updates. Every route is scoped to the organisation in the
URL."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.accounts import audit
from campaign.accounts.models import Role
from campaign.errors import CampaignError
from campaign.extensions import db
from campaign.markdown import render_markdown
from campaign.petitions import services
from campaign.petitions.models import Addressee, Petition, PetitionState
from campaign.signatures import counters
from campaign.web.workspace.access import organiser_view, scoped_or_404
from campaign.web.workspace.forms.petitions import (
    BLANK_ROWS,
    OutcomeForm,
    PetitionForm,
    UpdateForm,
)

bp = Blueprint("petitions", __name__, url_prefix="/o/<org_slug>/petitions")


@bp.get("/")
@organiser_view(Role.VIEWER)
def index():
    """List the organisation's petitions with their figures."""
    rows = db.session.scalars(
        db.select(Petition).where(Petition.organisation_id == g.organisation.id)
        .order_by(Petition.created_at.desc())
    ).all()
    totals = counters.signature_counts(p.id for p in rows)
    return render_template("workspace/petitions/index.html", petitions=rows, totals=totals)



def _petition(petition_id: int) -> Petition:
    return scoped_or_404(Petition, petition_id)


def _to_dashboard(petition: Petition):
    return redirect(url_for("workspace.signatures.dashboard", org_slug=g.organisation.slug,
                            petition_id=petition.id))


def _render_form(form: PetitionForm, petition: Petition | None, status: int = 200):
    rows = 1 if "more_rows" in request.form else (0 if form.is_submitted() else BLANK_ROWS)
    form.offer_directory(services.addressee_directory(), rows)
    labels = {str(a.id): _label(a) for a in services.addressee_directory()}
    preview = render_markdown(form.body_markdown.data or "") if "preview" in request.form else None
    return render_template("workspace/petitions/form.html", form=form, petition=petition,
                           preview=preview, labels=labels), status


def _label(addressee: Addressee) -> str:
    parts = [addressee.office_title, addressee.holder_name, addressee.institution]
    return ", ".join(part for part in parts if part)


def _only_showing(form: PetitionForm) -> bool:
    """Preview and "more rows" show the form again without saving."""
    return not form.is_submitted() or "preview" in request.form or "more_rows" in request.form


@bp.route("/new", methods=["GET", "POST"])
@organiser_view(Role.EDITOR)
def new():
    """Write a new petition; it starts as a draft."""
    form = PetitionForm()
    if _only_showing(form):
        return _render_form(form, None)
    if not form.validate():
        return _render_form(form, None, 422)
    if not form.slug.data:
        form.slug.errors.append(_("Choose the petition's address."))
        return _render_form(form, None, 422)
    try:
        petition = services.create_petition(g.organisation, slug=form.slug.data,
                                            **form.changes())
    except CampaignError as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return _render_form(form, None, 409 if error.status == 409 else 422)
    audit.record(g.organisation, "petition.created", petition.slug)
    flash(_("Draft saved. Publish it when it is ready."))
    return _to_dashboard(petition)


@bp.route("/<int:petition_id>/edit", methods=["GET", "POST"])
@organiser_view(Role.EDITOR)
def edit(petition_id: int):
    """Edit a petition; published text keeps a revision."""
    petition = _petition(petition_id)
    form = PetitionForm.from_object(petition) if request.method == "GET" else PetitionForm()
    if _only_showing(form):
        return _render_form(form, petition)
    if not form.validate():
        return _render_form(form, petition, 422)
    try:
        changed = services.edit_petition(petition, form.changes(), editor=current_user)
    except CampaignError as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return _render_form(form, petition, 422)
    if changed:
        audit.record(g.organisation, "petition.edited", petition.slug, fields=changed)
        flash(_("Saved."))
    else:
        flash(_("Nothing changed."))
    return _to_dashboard(petition)


@bp.post("/<int:petition_id>/publish")
@organiser_view(Role.EDITOR)
def publish(petition_id: int):
    """Open a draft for signatures."""
    petition = _petition(petition_id)
    if not petition.addressees:
        flash(_("Add at least one addressee before publishing."), "error")
        return redirect(url_for("workspace.petitions.edit", org_slug=g.organisation.slug,
                                petition_id=petition.id))
    services.open_petition(petition)
    audit.record(g.organisation, "petition.state_changed", petition.slug, state="open")
    flash(_("Published: the petition is public and open for signatures."))
    return _to_dashboard(petition)


@bp.route("/<int:petition_id>/close", methods=["GET", "POST"])
@organiser_view(Role.EDITOR)
def close(petition_id: int):
    """Ask, then stop taking signatures; closing cannot be undone."""
    petition = _petition(petition_id)
    if petition.current_state != PetitionState.OPEN:
        flash(_("Only an open petition can be closed."), "error")
        return _to_dashboard(petition)
    if request.method == "GET" or request.form.get("confirm") != "1":
        return render_template("workspace/petitions/close.html", petition=petition)
    services.close_petition(petition)
    audit.record(g.organisation, "petition.state_changed", petition.slug, state="closed")
    flash(_("Closed: the petition no longer takes signatures."))
    return _to_dashboard(petition)


@bp.post("/<int:petition_id>/outcome")
@organiser_view(Role.EDITOR)
def outcome(petition_id: int):
    """Record that the petition was delivered, won, or both."""
    petition = _petition(petition_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
        return _to_dashboard(petition)
    changed = services.record_outcomes(petition, form.changes())
    if changed:
        audit.record(g.organisation, "petition.outcome", petition.slug,
                     delivered_on=_iso(petition.delivered_on), won_on=_iso(petition.won_on))
        flash(_("Outcome saved."))
    else:
        flash(_("Nothing changed."))
    return _to_dashboard(petition)


def _iso(day) -> str | None:
    return day.isoformat() if day else None


@bp.route("/<int:petition_id>/updates/new", methods=["GET", "POST"])
@organiser_view(Role.EDITOR)
def new_update(petition_id: int):
    """Post news on the petition, and mail it to signers who agreed to hear more."""
    petition = _petition(petition_id)
    form = UpdateForm()
    if form.validate_on_submit() and "preview" not in request.form:
        update = services.post_update(petition, title=form.title.data,
                                      body_markdown=form.body_markdown.data,
                                      author=current_user, mail_signers=form.mail_signers.data)
        audit.record(g.organisation, "update.posted", update.title,
                     petition=petition.slug, mailed=update.mail_requested)
        flash(_("Update posted.") + (" " + _("It is being mailed to signers in batches.")
                                     if update.mail_requested else ""))
        return _to_dashboard(petition)
    preview = render_markdown(form.body_markdown.data or "") if "preview" in request.form else None
    status = 422 if form.errors else 200
    return render_template("workspace/petitions/update_form.html", form=form, petition=petition,
                           preview=preview), status
