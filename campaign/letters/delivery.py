"""The delivery package handed to a body: the letter, the signature annex, counts by country
and a manifest with every file's SHA-256."""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from datetime import datetime

from flask import render_template

from campaign.csvsafe import csv_lines
from campaign.extensions import db
from campaign.geography import country_name
from campaign.letters.document import LetterDocument
from campaign.letters.models import Letter
from campaign.letters.render import render_pdf
from campaign.signatures.models import Signature, SignatureState

WITHHELD = "(name withheld at the signer's request)"


def annex_rows(petition_id: int, until: datetime | None = None):
    """Confirmed signatures in signing order: name (unless withheld), city, country, date.
    Emails are never read here."""
    query = (
        db.select(Signature.full_name, Signature.name_withheld, Signature.city,
                  Signature.country, Signature.confirmed_at)
        .where(Signature.petition_id == petition_id, Signature.state == SignatureState.CONFIRMED)
        .order_by(Signature.confirmed_at, Signature.id)
        .execution_options(yield_per=2000)
    )
    if until is not None:
        query = query.where(Signature.confirmed_at < until)
    for name, withheld, city, country, confirmed_at in db.session.execute(query):
        yield (WITHHELD if withheld else name, city or "", country_name(country),
               confirmed_at.date().isoformat())


def counts_by_country(petition_id: int, until: datetime | None = None) -> list[tuple[str, int]]:
    query = (db.select(Signature.country, db.func.count(Signature.id))
             .where(Signature.petition_id == petition_id,
                    Signature.state == SignatureState.CONFIRMED)
             .group_by(Signature.country).order_by(db.func.count(Signature.id).desc()))
    if until is not None:
        query = query.where(Signature.confirmed_at < until)
    return [(code, count) for code, count in db.session.execute(query)]


def build_package(letter: Letter, document: LetterDocument, until: datetime | None = None):
    """Write the ZIP to a temporary file and return it, positioned at the start."""
    files: dict[str, bytes] = {"letter.pdf": render_pdf(document)}
    if letter.petition_id is not None:
        rows = list(annex_rows(letter.petition_id, until))
        files["signatures.csv"] = "".join(csv_lines(
            ("name", "city", "country", "signed_on"), rows)).encode("utf-8")
        from weasyprint import HTML

        html = render_template("letters/annex.html", letter=letter, document=document, rows=rows)
        files["signatures.pdf"] = HTML(string=html).write_pdf()
        counts = counts_by_country(letter.petition_id, until)
        files["counts-by-country.csv"] = "".join(csv_lines(
            ("country_code", "country", "signatures"),
            ((code, country_name(code), count) for code, count in counts))).encode("utf-8")
    manifest = "".join(f"{hashlib.sha256(content).hexdigest()}  {name}\n"
                       for name, content in files.items())
    archive = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
        zipped.writestr("MANIFEST.sha256", manifest)
    archive.seek(0)
    return archive
