"""Input that once caused a 500, each reproduced: now a 4xx with a message, or simply
accepted when it is valid (internationalised addresses)."""

import io

import pytest

from campaign.extensions import db
from campaign.mail.delivery import drain_outbox
from campaign.signatures.models import Signature
from tests import factories
from tests.conftest import csrf_token_from, delivered_mail, link_in, login, relative, sign

API = "/api/v1"


def _person(email: str) -> dict:
    return {"person": {"given_name": "Ünal", "family_name": "Petrosyan",
                       "email_addresses": [{"address": email}],
                       "postal_addresses": [{"country": "AM"}]}}


@pytest.mark.parametrize(("typed", "stored", "envelope"), [
    ("anna@exämple.org", "anna@exämple.org", "anna@xn--exmple-cua.org"),
    ("ünal@exämple.org", "ünal@exämple.org", "ünal@xn--exmple-cua.org"),
    ("用户@例子.广告", "用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v"),
])
def test_an_internationalised_address_can_sign_and_is_mailed(smtp_app, smtp_server, typed,
                                                             stored, envelope):
    petition = factories.create_open_petition(factories.create_organisation())
    client = smtp_app.test_client()
    assert sign(client, petition.slug, email=typed).status_code == 303
    db.session.commit()
    assert db.session.scalar(db.select(Signature.email)) == stored
    assert drain_outbox() == (1, 0)
    [message] = smtp_server.messages
    assert smtp_server.handler.envelopes[0][1] == [envelope]
    path = relative(link_in(message, "/confirm/"))
    page = client.get(path)
    assert client.post(path, data={
        "csrf_token": csrf_token_from(page.get_data(True))}).status_code == 303


def test_an_internationalised_address_can_sign_through_the_api(app, client, petition):
    response = client.post(f"{API}/petitions/{petition.id}/record_signature_helper",
                           json=_person("ünal@exämple.org"))
    assert response.status_code == 200, response.get_data(as_text=True)
    [message] = delivered_mail(app)
    assert message["To"].addresses[0].username == "ünal"


@pytest.mark.parametrize("email", ["foo", "a@b", "anna@", "@example.org", "anna@@example.org"])
def test_an_offline_api_signature_needs_a_real_address(app, client, petition, write_key,
                                                       email):
    response = client.post(f"{API}/petitions/{petition.id}/record_signature_helper",
                           json=_person(email), headers={"OSDI-API-Token": write_key})
    assert response.status_code == 400
    assert "email address" in response.json["error"]["message"]
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


def test_deeply_nested_json_is_a_400(app, client, petition, write_key):
    for depth in (40, 100_000):
        body = '{"person": ' + "[" * depth + "]" * depth + "}"
        response = client.post(f"{API}/petitions/{petition.id}/record_signature_helper",
                               data=body, content_type="application/json",
                               headers={"OSDI-API-Token": write_key})
        assert response.status_code == 400
        assert "nested" in response.json["error"]["message"]


@pytest.mark.parametrize("query", ["_external=1", "petition_id=5", "endpoint=x",
                                   "_anchor=x&_method=GET", "per_page=5&_scheme=ftp"])
def test_unknown_query_parameters_on_the_api_are_ignored(app, client, petition, read_key,
                                                         query):
    headers = {"OSDI-API-Token": read_key}
    for path in (f"{API}/petitions", f"{API}/people",
                 f"{API}/petitions/{petition.id}/signatures"):
        response = client.get(f"{path}?{query}", headers=headers)
        assert response.status_code == 200, (path, response.get_data(as_text=True))
        assert "_external" not in response.json["_links"]["self"]["href"]


@pytest.mark.parametrize("page", ["1e20", "100000000000000000000", "2147483648", "-1", "0",
                                  "9" * 400])
def test_a_page_beyond_the_schemas_maximum_is_a_400(app, client, petition, read_key, page):
    response = client.get(f"{API}/petitions?page={page}", headers={"OSDI-API-Token": read_key})
    assert response.status_code == 400
    assert "page" in response.json["error"]["message"]


def test_the_last_page_the_schema_allows_is_empty_not_an_error(app, client, read_key):
    response = client.get(f"{API}/petitions?page=2147483647",
                          headers={"OSDI-API-Token": read_key})
    assert response.status_code == 200
    assert response.json["_embedded"]["osdi:petitions"] == []


@pytest.mark.parametrize("page", ["1e20", "100000000000000000000", "2147483648"])
def test_the_organisers_signature_list_refuses_a_page_out_of_range(
        app, client, organisation, petition, editor, page):
    login(client, editor)
    response = client.get(f"/o/{organisation.slug}/petitions/{petition.id}/signatures"
                          f"?page={page}")
    assert response.status_code in (400, 404)


@pytest.mark.parametrize("query", ["until=9999-12-31", "since=0001-01-01&until=9999-12-31",
                                   "since=9999-12-31"])
def test_extreme_dates_in_exports_are_answered(app, client, organisation, petition, viewer,
                                               query):
    factories.create_signers(petition, 2)
    login(client, viewer)
    response = client.get(f"/o/{organisation.slug}/exports/counts.json?by=day&{query}")
    assert response.status_code == 200
    expected = 0 if query.startswith("since=9999") else 2
    assert sum(row["signatures"] for row in response.json["rows"]) == expected


def test_extreme_dates_in_the_signature_search_are_answered(app, client, organisation,
                                                            petition, editor):
    factories.create_signers(petition, 2)
    login(client, editor)
    response = client.get(f"/o/{organisation.slug}/petitions/{petition.id}/signatures"
                          f"?since=0001-01-01&until=9999-12-31")
    assert response.status_code == 200
    assert "2 signatures found" in response.get_data(as_text=True)


def _upload(client, path, raw: bytes):
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_token_from(page.get_data(True)),
                                   "file": (io.BytesIO(raw), "paper.csv")},
                       content_type="multipart/form-data")


@pytest.mark.parametrize(("raw", "status", "message"), [
    (b"full_name,country\rAnna,AM\rJean,FR\r", 200, "2 lines checked"),  # old Mac line ends
    (b"full_name,country\nAnna,AM\rx\nJean,FR\n", 422, ""),  # a bare CR inside a line
    (b"full_name,country\n" + b"A" * 200_000 + b",AM\n", 422, "too long"),
    (b'full_name,country\n"Anna,AM\n', 422, ""),  # a quote that never closes
])
def test_awkward_paper_files_get_a_report_not_a_500(app, client, organisation, petition,
                                                    editor, raw, status, message):
    login(client, editor)
    response = _upload(client, f"/o/{organisation.slug}/petitions/{petition.id}/paper", raw)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


def test_a_letters_figures_as_of_the_last_day_of_the_calendar(app, client, organisation,
                                                              petition, editor):
    from datetime import date

    factories.create_signers(petition, 3)
    letter = factories.create_letter(organisation, petition_id=petition.id, letter_date=date.max,
                         figures_as_of=date.max)
    login(client, editor)
    response = client.get(f"/o/{organisation.slug}/letters/{letter.id}/letter.txt")
    assert response.status_code == 200
    # Figures are never dated after the moment they were counted: today, not the year 9999.
    text = response.get_data(as_text=True)
    assert f"As of {date.today().day} " in text and "3 people have signed" in text
