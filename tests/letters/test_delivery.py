"""The delivery package: letter PDF, annex as PDF and CSV, counts by country, and a manifest
of SHA-256 sums; never an email address."""

import csv
import hashlib
import io
import zipfile

from pypdf import PdfReader

from campaign.extensions import db
from campaign.letters import services
from campaign.signatures.models import SignatureState
from campaign.types import utcnow
from tests import factories
from tests.conftest import login


def _signers(petition):
    rows = [("Lilit Hakobyan", "lilit@example.org", "Yerevan", "AM", False,
             SignatureState.CONFIRMED),
            ("Hidden Person", "hidden@example.org", "Paris", "FR", True,
             SignatureState.CONFIRMED),
            ("=HYPERLINK(\"http://evil\")", "evil@example.org", None, "FR", False,
             SignatureState.CONFIRMED),
            ("Pending Pat", "pending@example.org", None, "FR", False, SignatureState.PENDING),
            ("Gone Gina", "gone@example.org", None, "FR", False, SignatureState.INVALIDATED)]
    for name, email, city, country, withheld, state in rows:
        factories.create_signature(petition, name=name, email=email, city=city,
                                   country=country, name_withheld=withheld, state=state.value)


def test_the_package_holds_the_letter_the_annex_counts_and_a_manifest(
    client, organisation, petition, editor
):
    _signers(petition)
    letter = factories.create_letter(organisation, petition_id=petition.id,
                                     figures_as_of=utcnow().date(), letter_date=utcnow().date())
    services.finalise(letter, None)
    db.session.commit()
    login(client, editor)
    response = client.get(f"/o/{organisation.slug}/letters/{letter.id}/package.zip")
    assert response.status_code == 200
    data = response.data
    response.close()
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert names == {"letter.pdf", "signatures.csv", "signatures.pdf", "counts-by-country.csv",
                     "MANIFEST.sha256"}
    for line in archive.read("MANIFEST.sha256").decode().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest

    rows = list(csv.reader(io.StringIO(archive.read("signatures.csv").decode())))
    assert rows[0] == ["name", "city", "country", "signed_on", "how_signed"]
    names_in_annex = [row[0] for row in rows[1:]]
    assert names_in_annex == ["Lilit Hakobyan", "(name withheld at the signer's request)",
                              "'=HYPERLINK(\"http://evil\")"]
    everything = b"".join(archive.read(name) for name in names if name != "letter.pdf")
    assert b"@example.org" not in everything
    annex = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        archive.read("signatures.pdf"))).pages)
    assert "Lilit Hakobyan" in annex and "Hidden Person" not in annex
    counts = list(csv.reader(io.StringIO(archive.read("counts-by-country.csv").decode())))
    assert [row[:3] for row in counts[1:]] == [["FR", "France", "2"], ["AM", "Armenia", "1"]]


def test_a_draft_has_no_package_yet(client, organisation, letter, editor):
    login(client, editor)
    response = client.get(f"/o/{organisation.slug}/letters/{letter.id}/package.zip")
    assert response.status_code == 409
    assert b"Finalise the letter" in response.data


def test_every_version_stays_downloadable(client, organisation, letter, viewer):
    services.finalise(letter, None)
    services.update_letter(letter, {"subject": "A new subject"})
    db.session.commit()
    login(client, viewer)
    base = f"/o/{organisation.slug}/letters/{letter.id}"
    old = client.get(f"{base}/letter.txt?version=1")
    assert old.status_code == 200
    assert b"PRISONERS OF WAR STILL HELD" in old.data
    assert b"A NEW SUBJECT" in client.get(f"{base}/letter.txt").data
    assert client.get(f"{base}/letter.txt?version=7").status_code == 404
    assert client.get(f"{base}/letter.exe").status_code == 404
