"""Importing signatures collected on paper: a CSV is checked line by line and shown before
anything is stored; only a file without errors is imported, in one transaction, and only the
file that was checked (a signed token carries its SHA-256), once."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from campaign.accounts import audit
from campaign.accounts.access import organiser_view, scoped_or_404
from campaign.accounts.models import Role
from campaign.extensions import db
from campaign.geography import is_country_code
from campaign.limits import accepts_large_body
from campaign.link_tokens import seal, unseal
from campaign.petitions.models import Petition
from campaign.signatures.models import PaperImport
from campaign.signatures.normalise import normalise_email
from campaign.signatures.offline import (
    RECORDED_VIA_PAPER,
    OfflineSignature,
    record_offline_signature,
)
from campaign.signatures.services import find_signature

bp = Blueprint("paper", __name__)
MAX_BYTES = 2 * 1024 * 1024
COLUMNS = ("full_name", "country", "email", "city", "postal_code", "comment")
IMPORT_PURPOSE = "paper-import"
IMPORT_TOKEN_SECONDS = 24 * 3600


@dataclass
class Line:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)
    note: str = ""


def check_csv(petition: Petition, text: str) -> list[Line]:
    """Every data line with its problems; the header must name at least full_name, country."""
    # Universal newlines: a file saved with bare carriage returns (old Mac programs) reads
    # as lines like any other.
    reader = csv.DictReader(io.StringIO(text, newline=None))
    unreadable: list[Line] = []
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as error:
        return [_unreadable(1, error)]
    missing = {"full_name", "country"} - set(header)
    if missing:
        return [Line(1, {}, [_("The first line must name the columns; missing: %(cols)s.",
                               cols=", ".join(sorted(missing)))])]
    reader.fieldnames = header
    lines, seen = [], set()
    for number, raw in enumerate(_readable(reader, unreadable), start=2):
        values = {key: (raw.get(key) or "").strip() for key in COLUMNS}
        line = Line(number, values)
        if None in raw:
            line.errors.append(_("More cells than columns."))
        if not values["full_name"] or len(values["full_name"]) > 120:
            line.errors.append(_("A name of 1 to 120 characters is needed."))
        if not is_country_code(values["country"].upper()):
            line.errors.append(_("Unknown country code %(code)r.", code=values["country"][:10]))
        for key, limit in (("city", 100), ("postal_code", 16), ("comment", 500)):
            if len(values[key]) > limit:
                line.errors.append(_("%(col)s is longer than %(n)s characters.", col=key,
                                     n=limit))
        if values["email"]:
            try:
                values["email"] = validate_email(values["email"],
                                                 check_deliverability=False).normalized
                key = normalise_email(values["email"])
            except (EmailNotValidError, ValueError) as error:
                line.errors.append(_("The email does not look right: %(e)s", e=str(error)))
            else:
                if key in seen:
                    line.errors.append(_("The same email appears earlier in the file."))
                seen.add(key)
                if find_signature(petition.id, key) is not None:
                    line.note = _("Already signed: counted once.")
        lines.append(line)
    lines.extend(unreadable)
    if not lines:
        return [Line(1, {}, [_("The file has no signatures.")])]
    return lines


def _readable(reader: csv.DictReader, unreadable: list[Line]):
    """The reader's rows until one cannot be read; that one is reported in `unreadable`."""
    try:
        yield from reader
    except csv.Error as error:
        unreadable.append(_unreadable(reader.line_num, error))


def _unreadable(number: int, error: csv.Error) -> Line:
    if "field larger than field limit" in str(error):
        reason = _("a cell is too long (over %(n)s characters)", n=csv.field_size_limit())
    else:
        reason = str(error)
    return Line(number, {}, [_("From line %(n)s on, the file cannot be read as CSV: "
                               "%(reason)s.", n=number, reason=reason)])


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


def _already_imported(petition: Petition, sha256: str) -> PaperImport | None:
    return db.session.scalar(db.select(PaperImport).where(
        PaperImport.petition_id == petition.id, PaperImport.sha256 == sha256))


def _page(petition: Petition, status: int = 200, **values):
    values.setdefault("lines", None)
    values.setdefault("text", "")
    return render_template("exports/paper.html", petition=petition, **values), status


def import_lines(petition: Petition, lines: list[Line], sha256: str, by) -> PaperImport:
    """Record the signatures of a checked file, once: the file's SHA-256 is claimed first,
    so a second import of the same file (even one running at the same moment) fails on the
    unique constraint before it counts anything."""
    done = PaperImport(petition_id=petition.id, sha256=sha256, lines=len(lines),
                       imported_by_id=by.id if by else None)
    db.session.add(done)
    db.session.flush()
    for line in lines:
        record_offline_signature(petition, OfflineSignature(
            full_name=line.values["full_name"], country=line.values["country"].upper(),
            email=line.values["email"] or None, city=line.values["city"] or None,
            postal_code=line.values["postal_code"] or None,
            comment=line.values["comment"] or None, via=RECORDED_VIA_PAPER))
    return done


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
    earlier = _already_imported(petition, sha256)
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
        return _page(petition, 409, earlier=_already_imported(petition, sha256))
    audit.record(g.organisation, "signatures.paper_imported", petition.slug, lines=len(lines),
                 sha256=sha256)
    db.session.commit()
    flash(_("%(n)s paper signatures imported.", n=len(lines)))
    return redirect(url_for("organise.dashboard", org_slug=g.organisation.slug,
                            petition_id=petition.id))
