"""The OSDI API: entry point, petitions, signatures, people, the record_signature_helper."""

from datetime import timedelta

import pytest

from campaign.accounts.models import ApiToken
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.signatures.counters import signature_count
from campaign.signatures.models import Signature, SignatureState
from campaign.types import utcnow
from tests import factories
from tests.conftest import delivered_mail

HAL = "application/hal+json"


def _get(client, path, key=None, bearer=False, **kwargs):
    headers = {}
    if key:
        headers = {"Authorization": f"Bearer {key}"} if bearer else {"OSDI-API-Token": key}
    return client.get(path, headers=headers, **kwargs)


def test_the_entry_point_links_every_collection_and_declares_curies(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response.mimetype == HAL
    data = response.json
    assert data["osdi_version"] == "1.0"
    assert {"osdi:petitions", "osdi:people", "self"} <= set(data["_links"])
    assert {c["name"] for c in data["_links"]["curies"]} == {"osdi", "campaign"}


def test_collections_need_a_valid_key(client, petition, read_key):
    assert client.get("/api/v1/petitions").status_code == 401
    assert _get(client, "/api/v1/petitions", "cpn_not-a-key").status_code == 401
    assert _get(client, "/api/v1/petitions", read_key).status_code == 200
    assert _get(client, "/api/v1/petitions", read_key, bearer=True).status_code == 200


def test_a_revoked_key_stops_working_and_use_is_recorded(client, petition, read_key, runner):
    assert _get(client, "/api/v1/petitions", read_key).status_code == 200
    db.session.rollback()
    token = db.session.scalar(db.select(ApiToken))
    assert token.last_used_at is not None
    assert token.token_hash != read_key and read_key not in token.token_hash
    result = runner.invoke(args=["tokens", "revoke", str(token.id)])
    assert result.exit_code == 0
    assert _get(client, "/api/v1/petitions", read_key).status_code == 401


def test_the_cli_prints_a_token_once_and_it_works(app, client, runner, organisation, petition):
    result = runner.invoke(args=["tokens", "create", "--org", organisation.slug,
                                 "--scope", "read"])
    assert result.exit_code == 0
    raw = result.stdout.strip().splitlines()[0]
    assert raw.startswith("cpn_")
    assert _get(client, "/api/v1/petitions", raw).status_code == 200


def test_petitions_are_listed_with_counts_goal_fields_and_targets(client, petition, read_key):
    factories.create_signers(petition, 3)
    data = _get(client, "/api/v1/petitions", read_key).json
    assert data["total_records"] == 1
    [item] = data["_embedded"]["osdi:petitions"]
    assert item["title"] == petition.title
    assert item["total_signatures"] == 3
    assert item["campaign:next_goal"] == 10
    assert item["target"][0] == {"name": "António Guterres",
                                 "title": "Secretary-General of the United Nations",
                                 "organization": "United Nations"}
    assert item["_links"]["osdi:record_signature_helper"]["href"].endswith(
        f"/petitions/{petition.id}/record_signature_helper")


def test_another_organisations_petition_is_not_found(client, read_key):
    other = factories.create_open_petition(factories.create_organisation())
    assert _get(client, f"/api/v1/petitions/{other.id}", read_key).status_code == 404
    assert _get(client, f"/api/v1/petitions/{other.id}/signatures", read_key).status_code == 404


def test_a_write_key_creates_and_updates_a_petition(client, write_key, read_key):
    headers = {"OSDI-API-Token": write_key}
    created = client.post("/api/v1/petitions", headers=headers, json={
        "title": "Account for the missing", "summary": "Tell the families.",
        "target": [{"name": "Volker Türk", "title": "UN High Commissioner for Human Rights"}],
        "campaign:goal": 5000, "campaign:state": "open"})
    assert created.status_code == 201, created.json
    petition_id = int(created.json["identifiers"][0].split("-")[-1])
    assert created.json["campaign:state"] == "open"
    updated = client.put(f"/api/v1/petitions/{petition_id}", headers=headers,
                         json={"summary": "Tell every family.", "campaign:goal": None})
    assert updated.status_code == 200
    assert updated.json["summary"] == "Tell every family."
    assert updated.json["campaign:goal"] is None
    assert updated.json["title"] == "Account for the missing", "fields not sent are kept"
    refused = client.post("/api/v1/petitions", headers={"OSDI-API-Token": read_key},
                          json={"title": "No"})
    assert refused.status_code == 403


@pytest.mark.parametrize(("body", "message"), [
    ({}, "needs a title"),
    ({"title": 5}, "title must be text"),
    ({"title": "x", "campaign:goal": -3}, "campaign:goal"),
    ({"title": "x", "target": "UN"}, "target must be a list"),
    ({"title": "x", "campaign:state": "closed"}, "starts as a draft or open"),
])
def test_bad_petition_input_gets_a_clear_400(client, write_key, body, message):
    response = client.post("/api/v1/petitions", headers={"OSDI-API-Token": write_key},
                           json=body)
    assert response.status_code == 400
    assert message in response.json["error"]["message"]
    assert db.session.scalar(db.select(db.func.count(Petition.id))) == 0


@pytest.mark.parametrize("body", [
    {"title": "Missing\x00"},
    {"title": "x", "target": [{"name": "A\x00", "title": "B"}]},
    {"title": "x", "\x00": "key"},
])
def test_a_nul_character_in_json_gets_a_clear_400(client, write_key, body):
    response = client.post("/api/v1/petitions", headers={"OSDI-API-Token": write_key},
                           json=body)
    assert response.status_code == 400
    assert "NUL character" in response.json["error"]["message"]
    assert db.session.scalar(db.select(db.func.count(Petition.id))) == 0


def test_a_body_that_is_not_json_is_refused(client, write_key):
    response = client.post("/api/v1/petitions", headers={"OSDI-API-Token": write_key},
                           data="title=x")
    assert response.status_code == 415


def test_signatures_paginate_the_osdi_way(client, petition, read_key):
    factories.create_signers(petition, 7)
    path = f"/api/v1/petitions/{petition.id}/signatures?per_page=3"
    first = _get(client, path, read_key).json
    assert (first["page"], first["per_page"], first["total_pages"], first["total_records"]) == (
        1, 3, 3, 7)
    assert len(first["_embedded"]["osdi:signatures"]) == 3
    assert "previous" not in first["_links"]
    last = _get(client, first["_links"]["next"]["href"].replace("page=2", "page=3"),
                read_key).json
    assert len(last["_embedded"]["osdi:signatures"]) == 1
    assert "next" not in last["_links"]
    assert _get(client, f"{path}&page=0", read_key).status_code == 400
    assert _get(client, f"/api/v1/petitions/{petition.id}/signatures?per_page=1000",
                read_key).status_code == 400


def test_signatures_filter_on_modified_date(client, petition, read_key):
    old = utcnow() - timedelta(days=10)
    factories.create_signers(petition, 2, when=old)
    factories.create_signers(petition, 3, start=10)
    since = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    path = f"/api/v1/petitions/{petition.id}/signatures"
    recent = _get(client, path, read_key, query_string={
        "filter": f"modified_date gt '{since}'"}).json
    assert recent["total_records"] == 3
    both = _get(client, path, read_key, query_string={
        "filter": f"modified_date lt '{since}' and created_date lt '{since}'"}).json
    assert both["total_records"] == 2
    bad = _get(client, path, read_key, query_string={"filter": "name eq 'x'"})
    assert bad.status_code == 400 and "filter must look like" in bad.json["error"]["message"]


def test_people_show_an_email_only_for_signers_who_agreed(client, petition, read_key):
    factories.create_signers(petition, 1, contact_ok=True)
    factories.create_signers(petition, 1, start=5)
    people = _get(client, "/api/v1/people", read_key).json["_embedded"]["osdi:people"]
    emails = [p["email_addresses"] for p in people]
    assert emails == [[{"primary": True, "address": "signer0@example.org",
                        "status": "subscribed"}], []]
    assert people[0]["given_name"] == "Signer" and people[0]["family_name"] == "Number0"
    assert people[0]["postal_addresses"][0]["country"] == "FR"


def test_the_helper_without_a_key_answers_empty_and_the_signer_confirms_by_email(
    app, client, petition
):
    response = client.post(f"/api/v1/petitions/{petition.id}/record_signature_helper", json={
        "person": {"given_name": "Ani", "family_name": "Sargsyan",
                   "email_addresses": [{"address": "ani@example.org"}],
                   "postal_addresses": [{"country": "am"}]}})
    assert response.status_code == 200
    assert response.json == {}
    [signature] = db.session.scalars(db.select(Signature)).all()
    assert signature.state == SignatureState.PENDING and signature.source == "api"
    assert signature_count(petition.id) == 0
    [message] = delivered_mail(app)
    assert "/confirm/" in message.get_body(("plain",)).get_content()


def test_the_helper_with_a_write_key_records_a_confirmed_offline_signature(client, petition,
                                                                           write_key):
    path = f"/api/v1/petitions/{petition.id}/record_signature_helper"
    body = {"person": {"given_name": "Paper", "family_name": "Signer",
                       "email_addresses": [{"address": "paper@example.org"}],
                       "postal_addresses": [{"country": "FR", "locality": "Lyon"}]},
            "comments": "Signed at the stall"}
    first = client.post(path, headers={"OSDI-API-Token": write_key}, json=body)
    assert first.status_code == 200
    assert first.json["campaign:status"] == "confirmed"
    assert first.json["referrer_data"] == {"source": "offline"}
    again = client.post(path, headers={"OSDI-API-Token": write_key}, json=body)
    assert again.json["identifiers"] == first.json["identifiers"]
    assert signature_count(petition.id) == 1


def test_the_helper_refuses_bad_input_clearly(client, petition):
    path = f"/api/v1/petitions/{petition.id}/record_signature_helper"
    no_country = client.post(path, json={"person": {"given_name": "A",
                                                    "email_addresses": [{"address": "a@b.org"}]}})
    assert no_country.status_code == 400
    assert "country" in no_country.json["error"]["message"]
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0
