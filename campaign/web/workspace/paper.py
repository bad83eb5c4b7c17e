"""Organisers import signatures collected on paper: upload a CSV, read the report, then
import exactly the file that was checked (a signed token carries its SHA-256), once."""

from __future__ import annotations

import hashlib

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from campaign.accounts import audit
from campaign.accounts.models import Role
from campaign.exports.paper import already_imported, check_csv, import_lines
from campaign.extensions import db
from campaign.link_tokens import seal, unseal
from campaign.petitions.models import Petition
from campaign.web.limits import accepts_large_body
from campaign.web.workspace.access import organiser_view, scoped_or_404

bp = Blueprint("paper", __name__)
MAX_BYTES = 2 * 1024 * 1024
IMPORT_PURPOSE = "paper-import"
IMPORT_TOKEN_SECONDS = 24 * 3600


def _text_from_request() -> str:
    upload = request.files.get("file")
    raw = upload.read(MAX_BYTES + 1) if upload else request.form.get("csv", "").encode()
    if len(raw) > MAX_BYTES:
        raise ValueError(_("The file is larger than 2 MB; split it."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(_("Save the file as UTF-8 CSV and upload it again.")) from None
    # The checked file comes back through a form, where browsers turn line breaks into CRLF:
    # the same file must read (and hash) the same either way.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _page(petition: Petition, status: int = 200, **values):
    values.setdefault("lines", None)
    values.setdefault("text", "")
    return render_template("workspace/paper/index.html", petition=petition, **values), status


@bp.route("/o/<org_slug>/petitions/<int:petition_id>/paper", methods=["GET", "POST"])
@accepts_large_body("PAPER_MAX_CONTENT_LENGTH")
@organiser_view(Role.EDITOR)
def import_paper(petition_id: int):
    """Upload a CSV of paper signatures, check the report, then import it, once."""
    petition = scoped_or_404(Petition, petition_id)
    if request.method == "GET":
        return _page(petition)
    try:
        text = _text_from_request()
    except ValueError as error:
        return _page(petition, 422, error=str(error))
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    earlier = already_imported(petition, sha256)
    if earlier is not None:
        return _page(petition, 409 if "import" in request.form else 200, earlier=earlier)
    lines = check_csv(petition, text)
    errors = sum(1 for line in lines if line.errors)
    if "import" not in request.form or errors:
        return _page(petition, 422 if errors else 200, lines=lines, text=text, errors=errors,
                     import_token=seal(IMPORT_PURPOSE, [petition.id, sha256]))
    if unseal(IMPORT_PURPOSE, request.form.get("import_token", ""),
              IMPORT_TOKEN_SECONDS) != [petition.id, sha256]:
        return _page(petition, 400, error=_(
            "This is not the file that was checked, or the check is more than a day old. "
            "Check the file again, then import it."))
    try:
        import_lines(petition, lines, sha256, current_user)
    except IntegrityError:
        db.session.rollback()  # the same file was imported a moment ago, by another request
        return _page(petition, 409, earlier=already_imported(petition, sha256))
    audit.record(g.organisation, "signatures.paper_imported", petition.slug, lines=len(lines),
                 sha256=sha256)
    flash(_("%(n)s paper signatures imported.", n=len(lines)))
    return redirect(url_for("workspace.signatures.dashboard", org_slug=g.organisation.slug,
                            petition_id=petition.id))
