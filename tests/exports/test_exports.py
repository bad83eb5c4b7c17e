"""Exports of counts and signatures: streamed, escaped, private by default, audited."""

import csv
import io
import json
from datetime import timedelta

from campaign.accounts.models import AuditEvent
from campaign.extensions import db
from campaign.types import utcnow
from tests import factories
from tests.conftest import login


def _csv(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_counts_by_country_as_csv_and_json(client, organisation, petition, viewer):
    factories.create_signers(petition, 3, country="AM")
    factories.create_signers(petition, 2, country="FR", start=10)
    login(client, viewer)
    base = f"/o/{organisation.slug}/exports"
    rows = _csv(client.get(f"{base}/counts.csv?petition={petition.id}&by=country"))
    assert rows == [["petition", "country", "signatures"], [petition.slug, "AM", "3"],
                    [petition.slug, "FR", "2"]]
    data = client.get(f"{base}/counts.json?by=total").json
    assert data["rows"] == [{"petition": petition.slug, "key": "", "signatures": 5}]


def test_counts_over_a_date_range_and_by_day(client, organisation, petition, viewer):
    today = utcnow()
    factories.create_signers(petition, 2, when=today - timedelta(days=5))
    factories.create_signers(petition, 4, start=10, when=today)
    login(client, viewer)
    base = f"/o/{organisation.slug}/exports/counts.csv"
    since = (today - timedelta(days=1)).date().isoformat()
    rows = _csv(client.get(f"{base}?by=total&since={since}"))
    assert rows[1][2] == "4"
    by_day = _csv(client.get(f"{base}?by=day"))
    assert [row[2] for row in by_day[1:]] == ["2", "4"]
    bad = client.get(f"{base}?since=yesterday")
    assert bad.status_code == 400 and b"YYYY-MM-DD" in bad.data


def test_counts_across_the_organisation_never_include_another_one(client, organisation,
                                                                   petition, viewer):
    other = factories.create_open_petition(factories.create_organisation())
    factories.create_signers(other, 5)
    factories.create_signers(petition, 1, start=10)
    login(client, viewer)
    rows = _csv(client.get(f"/o/{organisation.slug}/exports/counts.csv?by=total"))
    assert rows[1:] == [[petition.slug, "", "1"]]
    assert client.get(f"/o/{organisation.slug}/exports/counts.csv?petition={other.id}"
                      ).status_code == 404


def test_the_signature_export_streams_escapes_cells_and_shows_consenting_emails_only(
    client, organisation, petition, editor
):
    factories.create_signers(petition, 1, contact_ok=True)
    factories.create_signers(petition, 1, start=5)
    from campaign.signatures.models import Signature

    evil = db.session.scalar(db.select(Signature).where(Signature.email == "signer5@example.org"))
    evil.full_name = '=HYPERLINK("http://evil.example","x")'
    evil.comment = "+1 cmd"
    db.session.commit()
    login(client, editor)
    response = client.get(f"/o/{organisation.slug}/exports/petitions/{petition.id}"
                          "/signatures.csv?bom=1")
    assert response.status_code == 200
    assert response.is_streamed
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = _csv(response)
    header, first, second = rows
    assert header[:3] == ["id", "full_name", "email"]
    assert first[2] == "signer0@example.org"
    assert second[2] == "", "no email without consent to contact"
    assert second[1] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert second[6] == "'+1 cmd"
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "export.signatures"))
    assert event is not None and event.details["format"] == "csv"


def test_the_signature_export_as_json_lines(client, organisation, petition, editor):
    factories.create_signers(petition, 3, contact_ok=True)
    login(client, editor)
    response = client.get(f"/o/{organisation.slug}/exports/petitions/{petition.id}"
                          "/signatures.jsonl")
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [line["email"] for line in lines] == [f"signer{n}@example.org" for n in range(3)]
    assert lines[0]["state"] == "confirmed"


def test_viewers_export_counts_but_not_signatures(client, organisation, petition, viewer):
    login(client, viewer)
    assert client.get(f"/o/{organisation.slug}/exports/counts.csv").status_code == 200
    assert client.get(f"/o/{organisation.slug}/exports/petitions/{petition.id}"
                      "/signatures.csv").status_code == 403
