"""A finalised letter's delivery package never changes: it states what was true when the
letter was finalised, in the same bytes however much later it is downloaded, and its annex
says of each signature exactly how it was given."""

import csv
import io
import time
import zipfile
from datetime import date, timedelta

from pypdf import PdfReader

from campaign.extensions import db
from campaign.letters import services
from campaign.letters.document import LetterDocument
from campaign.petitions.services import close_petition
from campaign.signatures.offline import RECORDED_VIA_API, OfflineSignature, record_offline_signature
from campaign.signatures.retention import anonymise_petition
from campaign.types import utcnow
from tests import factories
from tests.browserform import form_on, send
from tests.conftest import Browser, login


def _package(app, organisation, letter, user) -> bytes:
    db.session.commit()  # the test's own transaction ends before the requests write
    client = Browser(app)
    login(client, user)
    response = client.get(f"/o/{organisation.slug}/letters/{letter.id}/package.zip?version=1")
    assert response.status_code == 200
    db.session.rollback()
    return response.data


def _members(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def _finalised_letter(organisation, petition):
    today = utcnow().date()
    letter = factories.create_letter(organisation, petition_id=petition.id, figures_as_of=today,
                         letter_date=today)
    services.finalise(letter, None)
    db.session.commit()
    return letter


def test_the_same_version_downloaded_later_is_the_same_bytes_whatever_happened_since(
    app, organisation, petition, editor, monkeypatch
):
    factories.create_signers(petition, 3)
    letter = _finalised_letter(organisation, petition)
    first = _package(app, organisation, letter, editor)

    factories.create_signers(petition, 2, start=50)  # signed after the letter was finalised
    from campaign.signatures.models import Signature

    withdrawn = db.session.scalar(db.select(Signature).order_by(Signature.id))
    withdrawn.state = "withdrawn"
    close_petition(petition)
    anonymise_petition(petition)
    db.session.commit()
    nine_days_later = time.time() + 9 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: nine_days_later)  # the clock of the download
    second = _package(app, organisation, letter, editor)

    assert second == first
    rows = list(csv.reader(io.StringIO(_members(second)["signatures.csv"].decode())))
    assert [row[0] for row in rows[1:]] == [f"Signer Number{n}" for n in range(3)]


def test_the_annex_says_of_each_signature_how_it_was_given(app, organisation, petition, editor):
    factories.create_signers(petition, 1)
    record_offline_signature(petition, OfflineSignature("Paper Person", "AM"))
    record_offline_signature(petition, OfflineSignature("Crm Person", "FR",
                                                        via=RECORDED_VIA_API))
    from campaign.signatures.models import Signature

    db.session.scalar(db.select(Signature).where(Signature.full_name == "Crm Person")
                      ).name_withheld = True
    db.session.commit()
    letter = _finalised_letter(organisation, petition)
    members = _members(_package(app, organisation, letter, editor))
    rows = list(csv.reader(io.StringIO(members["signatures.csv"].decode())))
    assert rows[0] == ["name", "city", "country", "signed_on", "how_signed"]
    assert [(row[0], row[4]) for row in rows[1:]] == [
        ("Signer Number0", "online"), ("Paper Person", "paper"),
        ("(name withheld at the signer's request)", "api")]
    annex = " ".join(" ".join(p.extract_text() for p in PdfReader(
        io.BytesIO(members["signatures.pdf"])).pages).split())
    assert "Online, confirmed by the signer through an emailed link" in annex
    assert "On paper, entered by the organisation" in annex
    assert "not confirmed by email" in annex
    assert "Each was confirmed by its signer" not in annex


def test_signatures_anonymised_before_finalising_are_said_to_be_anonymised(
    app, organisation, petition, editor
):
    factories.create_signers(petition, 2)
    close_petition(petition)
    anonymise_petition(petition)
    db.session.commit()
    letter = _finalised_letter(organisation, petition)
    members = _members(_package(app, organisation, letter, editor))
    rows = list(csv.reader(io.StringIO(members["signatures.csv"].decode())))
    assert {row[0] for row in rows[1:]} == {
        "(anonymised: personal data erased after the retention period)"}
    assert b"at the signer's request" not in members["signatures.csv"]


def test_the_figures_are_dated_and_never_after_the_letter(app, organisation, petition, editor):
    factories.create_signers(petition, 2, when=utcnow() - timedelta(days=3))
    factories.create_signers(petition, 5, start=10)  # today, after the letter's date
    letter_day = (utcnow() - timedelta(days=1)).date()
    letter = factories.create_letter(organisation, petition_id=petition.id, letter_date=letter_day,
                         figures_as_of=letter_day)
    with_figures = services.finalise(letter, None)
    db.session.commit()
    document = LetterDocument.from_data(with_figures.document)
    assert document.figures.total == 2
    assert document.figures.as_of == f"{letter_day.day} {letter_day:%B} {letter_day.year}"
    members = _members(_package(app, organisation, letter, editor))
    assert len(members["signatures.csv"].decode().splitlines()) == 1 + 2
    counts = list(csv.reader(io.StringIO(members["counts-by-country.csv"].decode())))
    assert counts[0][-1] == "as_of" and counts[1][-1].startswith(
        (letter_day + timedelta(days=1)).isoformat())

    client = Browser(app)
    login(client, editor)
    form = form_on(client, f"/o/{organisation.slug}/letters/{letter.id}/edit", "Save")
    form.set("figures_as_of", (letter_day + timedelta(days=1)).isoformat())
    refused = send(client, form, "Save")
    assert refused.status_code == 422
    assert b"cannot be dated after the letter" in refused.data


def test_a_letter_dated_before_today_counts_no_signature_given_after_its_day(app, organisation,
                                                                            petition):
    factories.create_signers(petition, 1, when=utcnow() - timedelta(days=5))
    factories.create_signers(petition, 1, start=5)
    letter = factories.create_letter(organisation, petition_id=petition.id,
                         letter_date=date.today() - timedelta(days=2))
    version = services.finalise(letter, None)
    db.session.commit()
    assert version.figures_taken_at.date() == date.today() - timedelta(days=1)
    from campaign.letters.delivery import annex_entries

    assert len(annex_entries(version)) == 1


def test_a_zip_of_a_version_carries_its_finalisation_time(app, organisation, petition, editor):
    letter = _finalised_letter(organisation, factories.create_open_petition(organisation))
    archive = zipfile.ZipFile(io.BytesIO(_package(app, organisation, letter, editor)))
    finalised = letter.versions[0].finalised_at
    # A ZIP keeps times to two seconds.
    stamp = (*finalised.timetuple()[:5], finalised.second - finalised.second % 2)
    assert {info.date_time for info in archive.infolist()} == {stamp}
