"""Organisers write petitions: create, edit with a preview, publish, close, record outcomes,
and post updates. Every route is scoped to the organisation in the URL."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.accounts import audit
from campaign.accounts.access import organiser_view, scoped_or_404
from campaign.accounts.models import Role
from campaign.extensions import db
from campaign.formfields import options
from campaign.markdown import render_markdown
from campaign.petitions import services
from campaign.petitions.forms import (
    OutcomeForm,
    PetitionForm,
    UpdateForm,
    parse_lines,
    parse_references,
)
from campaign.petitions.models import Addressee, Outcome, Petition, PetitionState

bp = Blueprint("authoring", __name__, url_prefix="/o/<org_slug>/petitions")


def _petition(petition_id: int) -> Petition:
    return scoped_or_404(Petition, petition_id)


def _to_dashboard(petition: Petition):
    return redirect(url_for("organise.dashboard", org_slug=g.organisation.slug,
                            petition_id=petition.id))


def _addressee_choices(form: PetitionForm, petition: Petition | None) -> None:
    """Chosen addressees first, in their order; then the rest of the directory."""
    chosen = petition.addressees if petition else []
    chosen_ids = {a.id for a in chosen}
    rest = [a for a in services.addressee_directory() if a.id not in chosen_ids]
    form.addressees.choices = options((a.id, _label(a)) for a in [*chosen, *rest])


def _label(addressee: Addressee) -> str:
    parts = [addressee.office_title, addressee.holder_name, addressee.institution]
    return ", ".join(part for part in parts if part)


def _chosen_addressees(form: PetitionForm) -> list[Addressee]:
    # Checkboxes arrive in page order, which is the order the organiser sees.
    ids = [int(value) for value in request.form.getlist("addressees") if value.isdigit()]
    found = {a.id: a for a in db.session.scalars(db.select(Addressee).where(Addressee.id.in_(ids)))}
    chosen = [found[i] for i in ids if i in found]
    if form.new_office.data:
        chosen.append(services.find_or_create_addressee(services.AddresseeData(
            form.new_office.data.strip(), (form.new_holder.data or "").strip() or None,
            (form.new_institution.data or "").strip() or None, form.new_since.data)))
    return chosen


def _closes_at(form: PetitionForm) -> datetime | None:
    day = form.closes_on.data
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC) if day else None


def _render_form(form: PetitionForm, petition: Petition | None, status: int = 200):
    preview = render_markdown(form.body_markdown.data or "") if "preview" in request.form else None
    return render_template("authoring/petition_form.html", form=form, petition=petition,
                           preview=preview), status


@bp.route("/new", methods=["GET", "POST"])
@organiser_view(Role.EDITOR)
def new():
    """Write a new petition; it starts as a draft."""
    form = PetitionForm()
    _addressee_choices(form, None)
    if not form.is_submitted() or "preview" in request.form:
        return _render_form(form, None)
    if not form.validate():
        return _render_form(form, None, 422)
    if not form.slug.data:
        form.slug.errors.append(_("Choose the petition's address."))
        return _render_form(form, None, 422)
    petition = services.create_petition(
        g.organisation, slug=form.slug.data, title=form.title.data.strip(),
        summary=(form.summary.data or "").strip(), body_markdown=form.body_markdown.data or "",
        demands=parse_lines(form.demands.data), references=parse_references(form.references.data),
        goal=form.goal.data, language=form.language.data, closes_at=_closes_at(form))
    services.set_addressees(petition, _chosen_addressees(form))
    audit.record(g.organisation, "petition.created", petition.slug)
    db.session.commit()
    flash(_("Draft saved. Publish it when it is ready."))
    return _to_dashboard(petition)


@bp.route("/<int:petition_id>/edit", methods=["GET", "POST"])
@organiser_view(Role.EDITOR)
def edit(petition_id: int):
    """Edit a petition; published text keeps a revision."""
    petition = _petition(petition_id)
    if request.method == "GET":
        form = PetitionForm(
            obj=petition,
            demands="\n".join(d.text for d in petition.demands),
            references="\n".join(f"{r.title} | {r.url}" if r.url else r.title
                                 for r in petition.references),
            closes_on=petition.closes_at.date() if petition.closes_at else None,
            addressees=[a.id for a in petition.addressees],
        )
    else:
        form = PetitionForm()
    _addressee_choices(form, petition)
    if request.method == "GET" or "preview" in request.form:
        return _render_form(form, petition)
    if not form.validate():
        return _render_form(form, petition, 422)
    changed = services.edit_petition(
        petition,
        text=services.PetitionText(form.title.data.strip(), (form.summary.data or "").strip(),
                                   form.body_markdown.data or "",
                                   tuple(parse_lines(form.demands.data))),
        addressees=_chosen_addressees(form),
        references=parse_references(form.references.data),
        goal=form.goal.data, closes_at=_closes_at(form), language=form.language.data,
        editor=current_user)
    audit.record(g.organisation, "petition.edited", petition.slug, text_changed=changed)
    db.session.commit()
    flash(_("Saved."))
    return _to_dashboard(petition)


@bp.post("/<int:petition_id>/publish")
@organiser_view(Role.EDITOR)
def publish(petition_id: int):
    """Open a draft for signatures."""
    petition = _petition(petition_id)
    if not petition.addressees:
        flash(_("Add at least one addressee before publishing."), "error")
        return redirect(url_for("authoring.edit", org_slug=g.organisation.slug,
                                petition_id=petition.id))
    services.open_petition(petition)
    audit.record(g.organisation, "petition.state_changed", petition.slug, state="open")
    db.session.commit()
    flash(_("Published: the petition is public and open for signatures."))
    return _to_dashboard(petition)


@bp.post("/<int:petition_id>/close")
@organiser_view(Role.EDITOR)
def close(petition_id: int):
    """Stop taking signatures."""
    petition = _petition(petition_id)
    if petition.state != PetitionState.OPEN:
        flash(_("Only an open petition can be closed."), "error")
    else:
        services.close_petition(petition)
        audit.record(g.organisation, "petition.state_changed", petition.slug, state="closed")
        db.session.commit()
        flash(_("Closed: the petition no longer takes signatures."))
    return _to_dashboard(petition)


@bp.post("/<int:petition_id>/outcome")
@organiser_view(Role.EDITOR)
def outcome(petition_id: int):
    """Record that the petition was delivered or won."""
    petition = _petition(petition_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
    else:
        services.set_outcome(petition, Outcome(form.outcome.data) if form.outcome.data else None,
                             form.outcome_on.data, form.outcome_note.data)
        audit.record(g.organisation, "petition.outcome", petition.slug,
                     outcome=form.outcome.data or None)
        db.session.commit()
        flash(_("Outcome saved."))
    return _to_dashboard(petition)


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
        db.session.commit()
        flash(_("Update posted.") + (" " + _("It is being mailed to signers in batches.")
                                     if update.mail_requested else ""))
        return _to_dashboard(petition)
    preview = render_markdown(form.body_markdown.data or "") if "preview" in request.form else None
    status = 422 if form.errors else 200
    return render_template("authoring/update_form.html", form=form, petition=petition,
                           preview=preview), status
