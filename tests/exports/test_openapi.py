"""The OpenAPI document is generated from the code, and schemathesis finds no server error
and no response that breaks it."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from campaign.accounts.models import TokenScope
from campaign.extensions import db
from tests import factories


def test_the_document_describes_every_api_operation(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {
        "/", "/petitions", "/petitions/{petition_id}", "/petitions/{petition_id}/signatures",
        "/petitions/{petition_id}/signatures/{signature_id}", "/people", "/people/{person_id}",
        "/petitions/{petition_id}/record_signature_helper"}
    assert set(spec["paths"]["/petitions"]) == {"get", "post"}
    assert "osdiToken" in spec["components"]["securitySchemes"]


@pytest.fixture
def api_key(app):
    organisation = factories.create_organisation()
    petition = factories.create_open_petition(organisation)
    factories.create_signers(petition, 3, contact_ok=True)
    return factories.create_api_key(organisation, TokenScope.WRITE)


def test_the_api_never_fails_and_always_answers_as_documented(app, api_key):
    """Schemathesis generates requests for every operation from the document; none may get a
    5xx or a response outside the document. (Its pytest plugin is driven by hand here.)"""
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance,
              status_code_conformance]
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == 10
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(headers={"OSDI-API-Token": api_key}, checks=checks)

        run()
        db.session.rollback()
