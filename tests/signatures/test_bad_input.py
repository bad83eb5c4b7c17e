"""Bad input is answered with a 4xx and a message a person can act on, and nothing is stored."""

from datetime import timedelta

import pytest

from campaign.extensions import db
from campaign.mail.models import OutboxMessage
from campaign.petitions.services import close_petition
from campaign.signatures.models import Signature
from campaign.types import utcnow
from tests import factories
from tests.conftest import csrf_token_from, sign


def _nothing_stored():
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-email"}, b"does not look right"),
        ({"email": "anna@example"}, b"does not look right"),
        ({"email": ""}, b"Please enter your email address."),
        ({"full_name": ""}, b"Please enter your name."),
        ({"full_name": "A" * 121}, b"at most 120 characters"),
        ({"comment": "x" * 501}, b"under 500 characters"),
        ({"city": "x" * 101}, b"town name is too long"),
        ({"postal_code": "1" * 17}, b"postcode is too long"),
        ({"country": "ZZ"}, b"Please choose a country from the list."),
        ({"country": ""}, b"Please choose your country."),
        ({"email": "a" * 250 + "@example.org"}, b"email address is too long"),
    ],
)
def test_invalid_fields_are_refused_with_a_message_and_nothing_is_stored(
    client, petition, fields, message
):
    response = sign(client, petition.slug, **fields)
    assert response.status_code == 422
    assert message in response.data
    assert b"Please correct the following" in response.data
    _nothing_stored()


def test_the_form_keeps_what_the_signer_typed_after_an_error(client, petition):
    response = sign(client, petition.slug, full_name="Tigran Hovhannisyan", email="bad")
    assert b'value="Tigran Hovhannisyan"' in response.data


@pytest.mark.parametrize("field", ["full_name", "email", "city", "comment", "source"])
def test_a_nul_character_is_refused_with_a_message_and_nothing_is_stored(
    client, petition, field
):
    response = sign(client, petition.slug, **{field: "Anna\x00Petrosyan"})
    assert response.status_code == 400
    assert b"NUL character (U+0000)" in response.data
    _nothing_stored()


def test_a_nul_character_in_a_repeated_field_is_refused(client, petition):
    response = sign(client, petition.slug, comment=["fine", "not\x00fine"])
    assert response.status_code == 400
    _nothing_stored()


def test_a_nul_character_in_an_address_is_refused(client, petition):
    for path in (f"/p/{petition.slug}%00", f"/p/{petition.slug}?source=a%00b",
                 "/confirm/abc%00def"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert b"NUL character" in response.data


def test_a_form_without_its_csrf_token_is_refused(client, petition):
    response = client.post(f"/p/{petition.slug}/sign", data={
        "full_name": "Anna", "email": "anna@example.org", "country": "FR"})
    assert response.status_code == 400
    assert b"security token" in response.data
    _nothing_stored()


def test_an_unknown_petition_is_a_404_with_a_way_back(client):
    response = client.get("/p/no-such-petition")
    assert response.status_code == 404
    assert b"no public petition at this address" in response.data
    assert client.post("/p/no-such-petition/sign", data={}).status_code in (400, 404)


def test_a_draft_petition_is_not_public(client, organisation):
    draft = factories.create_draft_petition(organisation)
    assert client.get(f"/p/{draft.slug}").status_code == 404
    assert client.get(f"/p/{draft.slug}.json").status_code == 404


def test_a_closed_petition_shows_it_is_closed_and_refuses_signatures(client, petition):
    page = client.get(f"/p/{petition.slug}")
    close_petition(petition)
    db.session.commit()
    closed_page = client.get(f"/p/{petition.slug}")
    assert closed_page.status_code == 200
    assert b"This petition is closed" in closed_page.data
    assert b"<form" not in closed_page.data

    response = client.post(f"/p/{petition.slug}/sign", data={
        "csrf_token": csrf_token_from(page.get_data(True)), "full_name": "Anna",
        "email": "anna@example.org", "country": "FR"})
    assert response.status_code == 409
    assert b"no longer accepts signatures" in response.data
    _nothing_stored()


def test_a_petition_past_its_closing_date_refuses_signatures(client, organisation):
    petition = factories.create_open_petition(organisation, closes_at=utcnow() + timedelta(hours=1))
    page = client.get(f"/p/{petition.slug}")
    petition.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(f"/p/{petition.slug}/sign", data={
        "csrf_token": csrf_token_from(page.get_data(True)), "full_name": "Anna",
        "email": "anna@example.org", "country": "FR"})
    assert response.status_code == 409
    _nothing_stored()


def test_errors_asked_for_as_json_are_answered_in_json(client):
    response = client.get("/p/missing.json")
    assert response.status_code == 404
    assert response.json["error"]["status"] == 404
    assert "no public petition" in response.json["error"]["message"]


def test_too_many_signatures_from_one_address_are_slowed_down(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, SIGN_RATE_LIMIT="3 per minute")
    with app.app_context():
        petition = factories.create_open_petition(factories.create_organisation())
        client = app.test_client()
        statuses = [sign(client, petition.slug, email=f"s{i}@example.org").status_code
                    for i in range(4)]
        assert statuses == [303, 303, 303, 429]
        blocked = sign(client, petition.slug, email="late@example.org")
        assert b"Too many attempts" in blocked.data
        assert db.session.scalar(db.select(db.func.count(Signature.id))) == 3
