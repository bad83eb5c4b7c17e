"""Organisers draft, check, finalise, render and deliver letters; everyone in an organisation
can browse the legal catalogue."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from campaign.accounts import audit
from campaign.accounts.models import Role
from campaign.errors import CampaignError
from campaign.extensions import db
from campaign.legal.catalogue import TAGS, catalogue
from campaign.letters import services
from campaign.letters.delivery import build_package
from campaign.letters.document import LetterDocument
from campaign.letters.models import Letter
from campaign.letters.render import FORMATS, render, render_html
from campaign.petitions.models import Petition
from campaign.types import utcnow
from campaign.web.formfields import options
from campaign.web.workspace.access import organiser_view, scoped_or_404
from campaign.web.workspace.forms.letters import (
    TAG_LABELS,
    CosignerForm,
    DeliveryForm,
    DeliveryUpdateForm,
    LetterForm,
)

bp = Blueprint("letters", __name__, url_prefix="/o/<org_slug>/letters")


def _letter(letter_id: int) -> Letter:
    return scoped_or_404(Letter, letter_id)


def _to_letter(letter: Letter):
    return redirect(url_for("workspace.letters.show", org_slug=g.organisation.slug,
                            letter_id=letter.id))


def _prepare(form: LetterForm, letter: Letter | None) -> None:
    cat = catalogue()
    form.body_id.choices = options((b.id, b.name) for b in cat.bodies.values())
    petitions = db.session.scalars(db.select(Petition).where(
        Petition.organisation_id == g.organisation.id).order_by(Petition.title)).all()
    form.petition_id.choices = options([("", _("None")), *((str(p.id), p.title)
                                                           for p in petitions)])
    body_id = form.body_id.data or (letter.body_id if letter else None)
    body = cat.bodies.get(body_id) if body_id else None
    manual = [r for r in body.requirements if not r.check] if body else []
    form.confirmed_requirements.choices = options((r.id, r.text) for r in manual)


@bp.get("/")
@organiser_view(Role.VIEWER)
def index():
    """List the organisation's letters."""
    letters = db.session.scalars(db.select(Letter).where(
        Letter.organisation_id == g.organisation.id).order_by(Letter.updated_at.desc())).all()
    return render_template("workspace/letters/index.html", letters=letters,
                           bodies=catalogue().bodies)


def _form_page(form: LetterForm, letter: Letter | None):
    if not form.is_submitted() or "more_rows" in request.form:
        form.offer_rows(1 if "more_rows" in request.form else 2)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("workspace/letters/form.html", form=form, letter=letter,
                           tag_labels=TAG_LABELS), status


def _saving(form: LetterForm) -> bool:
    return "more_rows" not in request.form and form.validate_on_submit()


@bp.route("/new", methods=["GET", "POST"])
@organiser_view(Role.EDITOR)
def new():
    """Draft a new letter."""
    form = LetterForm()
    if request.method == "GET" and request.args.get("body"):
        form.body_id.data = request.args["body"]
    _prepare(form, None)
    if _saving(form):
        try:
            letter = services.create_letter(g.organisation, current_user, **form.changes())
        except CampaignError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            audit.record(g.organisation, "letter.created", letter.subject)
            return _to_letter(letter)
    return _form_page(form, None)


@bp.route("/<int:letter_id>/edit", methods=["GET", "POST"])
@organiser_view(Role.EDITOR)
def edit(letter_id: int):
    """Edit a letter; after finalising, a change drafts the next version."""
    letter = _letter(letter_id)
    form = LetterForm.from_object(letter) if request.method == "GET" else LetterForm()
    _prepare(form, letter)
    if _saving(form):
        try:
            changed = services.update_letter(letter, form.changes())
        except CampaignError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            if changed:
                audit.record(g.organisation, "letter.edited", letter.subject, fields=changed)
            flash(_("Saved.") if changed else _("Nothing changed."))
            return _to_letter(letter)
    return _form_page(form, letter)


@bp.get("/<int:letter_id>")
@organiser_view(Role.VIEWER)
def show(letter_id: int):
    """The letter page: preview, what the body requires, warnings on the law, suggestions."""
    letter = _letter(letter_id)
    body = catalogue().bodies[letter.body_id]
    return render_template(
        "workspace/letters/show.html", letter=letter, body=body,
        checklist=services.checklist(letter), warnings=services.law_warnings(letter),
        suggestions=services.suggestions(letter), cited=services.cited_provisions(letter),
        preview=render_html(services.current_document(letter), mode="fragment"),
        cosigner_form=CosignerForm(), delivery_form=DeliveryForm(sent_on=utcnow().date()),
        delivery_updates={d.id: DeliveryUpdateForm.from_object(d, prefix=f"delivery-{d.id}")
                          for d in letter.deliveries},
        tag_labels=TAG_LABELS,
    )


@bp.post("/<int:letter_id>/finalise")
@organiser_view(Role.EDITOR)
def finalise(letter_id: int):
    """Freeze the letter as a new version."""
    letter = _letter(letter_id)
    version = services.finalise(letter, current_user)
    audit.record(g.organisation, "letter.finalised", letter.subject, version=version.number)
    flash(_("Version %(n)s is final.", n=version.number))
    return _to_letter(letter)


def _document(letter: Letter) -> LetterDocument:
    number = request.args.get("version", type=int)
    if number is None:
        return services.current_document(letter)
    return LetterDocument.from_data(services.version_of(letter, number).document)


@bp.get("/<int:letter_id>/letter.<fmt>")
@organiser_view(Role.VIEWER)
def download(letter_id: int, fmt: str):
    """The letter as HTML, PDF, DOCX or text; ?version=N for a finalised version."""
    if fmt not in FORMATS:
        abort(404)
    letter = _letter(letter_id)
    document = _document(letter)
    suffix = f"-v{document.version}" if document.version else "-draft"
    response = Response(render(document, fmt), mimetype=FORMATS[fmt])
    if fmt != "html":
        response.headers["Content-Disposition"] = (
            f'attachment; filename="letter-{letter.id}{suffix}.{fmt}"')
    return response


@bp.get("/<int:letter_id>/package.zip")
@organiser_view(Role.EDITOR)
def package(letter_id: int):
    """The delivery package of a finalised version: letter, annex, counts, manifest."""
    letter = _letter(letter_id)
    if not letter.versions:
        raise CampaignError(_("Finalise the letter before building its delivery package."), 409)
    number = request.args.get("version", type=int) or letter.latest_version.number
    version = services.version_of(letter, number)
    archive = build_package(version)
    audit.record(g.organisation, "letter.package_exported", letter.subject, version=number)
    return send_file(archive, mimetype="application/zip", as_attachment=True,
                     download_name=f"letter-{letter.id}-v{number}-package.zip")


@bp.post("/<int:letter_id>/cosigners")
@organiser_view(Role.EDITOR)
def invite_cosigner(letter_id: int):
    """Invite an organisation to co-sign."""
    letter = _letter(letter_id)
    form = CosignerForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
    else:
        _cosigner, link = services.invite_cosigner(letter, form.organisation_name.data,
                                                   form.email.data)
        audit.record(g.organisation, "letter.cosigner_invited", form.organisation_name.data)
        flash(_("Invitation ready. Its link: %(link)s", link=link))
    return _to_letter(letter)


@bp.post("/<int:letter_id>/deliveries")
@organiser_view(Role.EDITOR)
def record_delivery(letter_id: int):
    """Log a sending of the letter and any response."""
    letter = _letter(letter_id)
    form = DeliveryForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
    else:
        services.record_delivery(
            letter, channel=form.channel.data, sent_on=form.sent_on.data,
            reference=form.reference.data, response_on=form.response_on.data,
            response_summary=form.response_summary.data, follow_up_on=form.follow_up_on.data)
        audit.record(g.organisation, "letter.delivered", letter.subject,
                     channel=form.channel.data)
        flash(_("Delivery recorded."))
    return _to_letter(letter)


@bp.post("/<int:letter_id>/deliveries/<int:delivery_id>")
@organiser_view(Role.EDITOR)
def update_delivery(letter_id: int, delivery_id: int):
    """Complete a delivery-log entry: a reference or a reply that came later."""
    letter = _letter(letter_id)
    delivery = next((d for d in letter.deliveries if d.id == delivery_id), None)
    if delivery is None:
        abort(404)
    form = DeliveryUpdateForm(prefix=f"delivery-{delivery.id}")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
    else:
        try:
            changed = services.update_delivery(delivery, form.changes())
        except CampaignError as error:
            db.session.rollback()
            flash(error.message, "error")
            return _to_letter(letter)
        if changed:
            audit.record(g.organisation, "letter.delivery_updated", letter.subject,
                         sent_on=delivery.sent_on.isoformat(), fields=changed)
        flash(_("Delivery log updated.") if changed else _("Nothing changed."))
    return _to_letter(letter)


@bp.get("/catalogue")
@organiser_view(Role.VIEWER)
def catalogue_page():
    """Browse and search the legal catalogue."""
    cat = catalogue()
    words = request.args.get("q", "")
    tags = tuple(t for t in request.args.getlist("tag") if t in TAGS)
    instrument = request.args.get("instrument", "")
    if instrument and instrument not in cat.instruments:
        instrument = ""
    results = cat.search(words=words, tags=tags, instrument=instrument)
    return render_template("workspace/letters/catalogue.html", cat=cat, results=results,
                           words=words, tags=tags, instrument=instrument,
                           tag_labels=TAG_LABELS)
