"""The delivery package handed to a body: the letter, the signature annex, counts by country
and a manifest with every file's SHA-256.

What a package states is frozen when its version is finalised (`freeze_annex`): the annex
lists the signatures as they were then, and the package is built from that snapshot alone,
with fixed timestamps in the ZIP, so that the same version downloaded any later gives the same
bytes, whatever happened to the signatures since (new ones, withdrawals, anonymisation).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections import Counter
from datetime import datetime

from campaign.csvsafe import csv_lines
from campaign.extensions import db
from campaign.geography import country_name
from campaign.letters.document import LetterDocument
from campaign.letters.models import AnnexEntry, LetterVersion
from campaign.letters.render import render_document, render_pdf
from campaign.signatures.models import Signature, SignatureState

CHUNK = 2000
# How each way of signing is described, true of every row it is used for.
HOW = {
    "online": "online, confirmed by the signer through an emailed link",
    "paper": "on paper, entered by the organisation",
    "api": "sent by the organisation's own system through its API, not confirmed by email",
    "offline": "collected offline (on paper or through the organisation's system), entered "
               "by the organisation",
}
NAME_STATUS = {
    "withheld": "(name withheld at the signer's request)",
    "anonymised": "(anonymised: personal data erased after the retention period)",
}


def _how(source: str | None, recorded_via: str | None) -> str:
    if recorded_via in ("paper", "api"):
        return recorded_via
    return "offline" if source == "offline" else "online"


def freeze_annex(version: LetterVersion, petition_id: int, until: datetime) -> list[tuple]:
    """Copy the petition's confirmed signatures up to `until` into the version's annex, in
    signing order; return the counts by country (code, name, count), largest first. Emails
    are never read here."""
    query = (
        db.select(Signature.full_name, Signature.name_withheld, Signature.anonymised_at,
                  Signature.source, Signature.recorded_via, Signature.city, Signature.country,
                  Signature.confirmed_at)
        .where(Signature.petition_id == petition_id, Signature.state == SignatureState.CONFIRMED,
               Signature.confirmed_at < until)
        .order_by(Signature.confirmed_at, Signature.id)
        .execution_options(yield_per=CHUNK)
    )
    counts: Counter = Counter()
    batch: list[dict] = []
    for number, row in enumerate(db.session.execute(query), start=1):
        name, withheld, anonymised_at, source, via, city, country, confirmed_at = row
        status = "anonymised" if anonymised_at else "withheld" if withheld else "named"
        batch.append({"version_id": version.id, "number": number,
                      "name": name if status == "named" else None, "name_status": status,
                      "how": _how(source, via), "city": None if anonymised_at else city,
                      "country": country, "country_name": country_name(country),
                      "signed_on": confirmed_at.date()})
        counts[(country, batch[-1]["country_name"])] += 1
        if len(batch) == CHUNK:
            db.session.execute(db.insert(AnnexEntry), batch)
            batch = []
    if batch:
        db.session.execute(db.insert(AnnexEntry), batch)
    return sorted(((code, name, n) for (code, name), n in counts.items()),
                  key=lambda item: (-item[2], item[0]))


def annex_entries(version: LetterVersion) -> list[AnnexEntry]:
    return list(db.session.scalars(db.select(AnnexEntry).where(
        AnnexEntry.version_id == version.id).order_by(AnnexEntry.number)))


def _annex_files(version: LetterVersion, document: LetterDocument) -> dict[str, bytes]:
    entries = annex_entries(version)
    taken = version.figures_taken_at.strftime("%Y-%m-%d %H:%M UTC")
    rows = [(e.name or NAME_STATUS[e.name_status], e.city or "", e.country_name,
             e.signed_on.isoformat(), e.how) for e in entries]
    files = {"signatures.csv": "".join(csv_lines(
        ("name", "city", "country", "signed_on", "how_signed"), rows)).encode("utf-8")}
    kinds = Counter(e.how for e in entries)
    statuses = Counter(e.name_status for e in entries)
    from weasyprint import HTML  # imported here: loading it takes a moment

    html = render_document("documents/annex.html", title=version.annex_title, document=document,
                           rows=rows, taken=taken, kinds=kinds, statuses=statuses, how=HOW,
                           name_status=NAME_STATUS)
    files["signatures.pdf"] = HTML(string=html).write_pdf()
    counts = Counter((e.country, e.country_name) for e in entries)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    files["counts-by-country.csv"] = "".join(csv_lines(
        ("country_code", "country", "signatures", "as_of"),
        ((code, name, n, taken) for (code, name), n in ordered))).encode("utf-8")
    return files


def build_package(version: LetterVersion) -> io.BytesIO:
    """The ZIP of a finalised version, built from what was frozen when it was finalised; every
    member carries the finalisation time, so the bytes never change."""
    document = LetterDocument.from_data(version.document)
    files: dict[str, bytes] = {"letter.pdf": render_pdf(document)}
    if version.annex_title is not None:
        files.update(_annex_files(version, document))
    files["MANIFEST.sha256"] = "".join(f"{hashlib.sha256(content).hexdigest()}  {name}\n"
                                       for name, content in files.items()).encode()
    stamp = version.finalised_at.timetuple()[:6]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for name, content in files.items():
            member = zipfile.ZipInfo(name, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            zipped.writestr(member, content)
    archive.seek(0)
    return archive
