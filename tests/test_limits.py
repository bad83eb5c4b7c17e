"""Bounded requests: a body past its size, a form with too many fields or one huge field,
and JSON nested too deep are refused (413, or 400 for JSON) before they cost a worker its
memory, and nothing is stored."""

import io
import json

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from campaign.extensions import db
from campaign.signatures.models import Signature
from campaign.web.limits import MAX_JSON_DEPTH
from tests.conftest import csrf_token_from, login


def _sign_form(client, slug: str) -> dict:
    page = client.get(f"/p/{slug}").get_data(as_text=True)
    return {"csrf_token": csrf_token_from(page), "full_name": "Anna Petrosyan",
            "email": "anna@example.org", "country": "FR"}


def _nothing_signed() -> None:
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


def test_a_body_over_a_megabyte_is_refused_before_it_is_read(app, client, petition):
    fields = _sign_form(client, petition.slug)
    fields["comment"] = "x" * (2 * 1024 * 1024)
    response = client.post(f"/p/{petition.slug}/sign", data=fields)
    assert response.status_code == 413
    assert b"larger than this address accepts" in response.data
    assert len(response.data) < 20_000, "the value is not echoed back"
    _nothing_signed()


def test_a_thirty_megabyte_body_is_refused_by_its_declared_length(app, client, petition):
    stream = io.BytesIO(b"a=" + b"x" * (30 * 1024 * 1024))
    response = client.post(f"/p/{petition.slug}/sign", input_stream=stream,
                           content_type="application/x-www-form-urlencoded",
                           headers={"Content-Length": str(30 * 1024 * 1024 + 2)})
    assert response.status_code == 413
    assert stream.tell() == 0, "not a byte of the body was read"


def test_a_form_with_too_many_fields_is_refused(app, client, petition):
    fields = _sign_form(client, petition.slug)
    body = "&".join(f"{k}={v}" for k, v in fields.items()) + "&x=" * 1000
    response = client.post(f"/p/{petition.slug}/sign", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    _nothing_signed()


def test_a_multipart_form_with_too_many_fields_is_refused(app, client, petition):
    fields = _sign_form(client, petition.slug)
    fields.update({f"x{n}": "1" for n in range(1001)})
    response = client.post(f"/p/{petition.slug}/sign", data=fields,
                           content_type="multipart/form-data")
    assert response.status_code == 413
    _nothing_signed()


def test_one_field_larger_than_the_field_limit_is_refused(app_factory):
    app = app_factory(MAX_FORM_MEMORY_SIZE=10_000)
    with app.app_context():
        from tests import factories

        petition = factories.create_open_petition(factories.create_organisation())
        client = app.test_client()
        fields = _sign_form(client, petition.slug)
        fields["comment"] = "x" * 10_001
        assert client.post(f"/p/{petition.slug}/sign", data=fields).status_code == 413
        fields["comment"] = "x" * 400
        assert client.post(f"/p/{petition.slug}/sign", data=fields).status_code == 303


def test_an_ordinary_signature_still_goes_through(app, client, petition):
    response = client.post(f"/p/{petition.slug}/sign", data=_sign_form(client, petition.slug))
    assert response.status_code == 303


def _nested(depth: int) -> str:
    return '{"person": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5000, 200_000])
def test_json_nested_too_deep_is_refused_with_a_message(app, client, petition, depth):
    response = client.post(f"/api/v1/petitions/{petition.id}/record_signature_helper",
                           data=_nested(depth), content_type="application/json")
    assert response.status_code == 400
    assert f"nested more than {MAX_JSON_DEPTH} levels" in response.json["error"]["message"]
    _nothing_signed()


def test_json_within_the_depth_limit_is_read(app, client, petition):
    assert json.loads(_nested(MAX_JSON_DEPTH))
    response = client.post(f"/api/v1/petitions/{petition.id}/record_signature_helper",
                           data=_nested(MAX_JSON_DEPTH), content_type="application/json")
    assert response.status_code == 400
    assert "person" in response.json["error"]["message"], "read, then refused for its content"


def _multipart(fields: dict) -> dict:
    """A multipart body built in memory (the test client would spool a large one to a
    temporary file it never closes)."""
    boundary, body = encode_multipart(fields)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def test_a_paper_import_may_be_larger_than_other_requests(app, client, organisation, petition,
                                                          editor):
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/paper"
    lines = "".join(f"Signer Number{n},FR\n" for n in range(70_000))  # about 1.5 MB
    text = "full_name,country\n" + lines
    assert 1024 * 1024 < len(text) < 2 * 1024 * 1024
    page = client.get(path).get_data(as_text=True)
    response = client.post(path, **_multipart({
        "csrf_token": csrf_token_from(page),
        "file": FileStorage(io.BytesIO(text.encode()), "paper.csv")}))
    assert response.status_code == 200
    assert b"70,000 lines checked" in response.data or b"70000 lines checked" in response.data
    too_big = io.BytesIO(b"full_name,country\n" + b"A,FR\n" * 800_000)  # 4 MB
    response = client.post(path, **_multipart({"csrf_token": csrf_token_from(page),
                                               "file": FileStorage(too_big, "paper.csv")}))
    assert response.status_code == 413
