"""Paper signatures: a line-by-line report before anything is stored; offline counts."""

import io

from campaign.extensions import db
from campaign.signatures.counters import counts_by, signature_count
from campaign.signatures.models import CountDimension, Signature
from tests import factories
from tests.browserform import form_in, send
from tests.conftest import csrf_token_from, login

GOOD = ("full_name,country,email,city\n"
        "Anna Petrosyan,AM,anna@example.org,Gyumri\n"
        "Jean Martin,fr,,Lyon\n")


def _upload(client, path, text, **extra):
    page = client.get(path)
    data = {"csrf_token": csrf_token_from(page.get_data(True)),
            "file": (io.BytesIO(text.encode()), "paper.csv")}
    data.update(extra)
    return client.post(path, data=data, content_type="multipart/form-data")


def test_a_good_file_is_previewed_then_imported_as_offline_signatures(client, organisation,
                                                                      petition, editor):
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/paper"
    preview = _upload(client, path, GOOD)
    assert preview.status_code == 200
    assert b"2 lines checked" in preview.data and b"0 with errors" in preview.data
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0
    done = send(client, form_in(preview.get_data(as_text=True), path, button="Import"))
    assert done.status_code == 302
    db.session.rollback()
    assert signature_count(petition.id) == 2
    assert counts_by(petition.id, CountDimension.SOURCE) == {"offline": 2}


def test_a_file_with_errors_is_reported_line_by_line_and_nothing_is_stored(
    client, organisation, petition, editor
):
    login(client, editor)
    factories.create_signers(petition, 1)
    bad = ("full_name,country,email\n"
           "Anna,ZZ,anna@example.org\n"
           ",FR,\n"
           "Signer Again,FR,signer0@example.org\n"
           "Two,FR,two@example.org\n"
           "Twice,FR,TWO@example.org\n")
    path = f"/o/{organisation.slug}/petitions/{petition.id}/paper"
    report = _upload(client, path, bad)
    assert report.status_code == 422
    text = report.get_data(as_text=True)
    assert "Unknown country code" in text
    assert "A name of 1 to 120 characters is needed." in text
    assert "Already signed: counted once." in text
    assert "The same email appears earlier in the file." in text
    assert "Import" not in text.split("</table>")[1].split("<form")[1] if "<form" in text else True
    forced = client.post(path, data={"csrf_token": csrf_token_from(text), "csv": bad,
                                     "import": "1"})
    assert forced.status_code == 422
    db.session.rollback()
    assert signature_count(petition.id) == 1


def test_a_file_without_the_needed_columns_is_explained(client, organisation, petition, editor):
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/paper"
    response = _upload(client, path, "name;land\nAnna;AM\n")
    assert response.status_code == 422
    assert b"missing: country, full_name" in response.data


def test_the_same_file_is_imported_once_however_often_it_is_sent(client, organisation,
                                                                  petition, editor):
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/paper"
    preview = _upload(client, path, GOOD)
    import_form = form_in(preview.get_data(as_text=True), path, button="Import")
    assert send(client, import_form).status_code == 302
    # A double click, or Back and Import again: the same form is sent a second time.
    again = send(client, import_form)
    assert again.status_code == 409
    assert b"This file was already imported on" in again.data
    assert b"Nothing was imported again." in again.data
    db.session.rollback()
    assert signature_count(petition.id) == 2
    checked_again = _upload(client, path, GOOD)
    assert b"already imported" in checked_again.data
    assert b"Import 2 signatures" not in checked_again.data


def test_only_the_file_that_was_checked_can_be_imported(client, organisation, petition, editor):
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/paper"
    import_form = form_in(_upload(client, path, GOOD).get_data(as_text=True), path,
                          button="Import")
    import_form.set("csv", GOOD + "Added Later,FR,,Paris\n")
    response = send(client, import_form)
    assert response.status_code == 400
    assert b"not the file that was checked" in response.data
    db.session.rollback()
    assert signature_count(petition.id) == 0
