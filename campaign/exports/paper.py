"""Importing signatures collected on paper: a CSV is checked line by line and shown before
anything is stored; only a file without errors is imported, in one transaction, once per
file (its SHA-256)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from campaign.extensions import db
from campaign.geography import is_country_code
from campaign.petitions.models import Petition
from campaign.signatures.models import PaperImport
from campaign.signatures.normalise import normalise_email
from campaign.signatures.offline import (
    RECORDED_VIA_PAPER,
    OfflineSignature,
    record_offline_signature,
)
from campaign.signatures.services import find_signature

COLUMNS = ("full_name", "country", "email", "city", "postal_code", "comment")


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


def already_imported(petition: Petition, sha256: str) -> PaperImport | None:
    return db.session.scalar(db.select(PaperImport).where(
        PaperImport.petition_id == petition.id, PaperImport.sha256 == sha256))


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
