"""One declaration per API resource: what the API shows, what it accepts and what the OpenAPI
document says come from it, so they cannot disagree; the API's change set is the organisers'."""

from wtforms.fields.core import UnboundField

from campaign.accounts.models import TokenScope
from campaign.web.api.operations import HAL
from campaign.web.api.resources import PERSON, PETITION, SIGNATURE
from campaign.web.workspace.forms.petitions import PetitionForm
from tests import factories


def _schema(spec, path, method, status="200"):
    return spec["paths"][path][method]["responses"][status]["content"][HAL]["schema"]


def test_the_document_carries_each_declaration(client):
    spec = client.get("/api/v1/openapi.json").json
    assert _schema(spec, "/petitions/{petition_id}", "get") == PETITION.output_schema()
    assert _schema(spec, "/petitions/{petition_id}/signatures/{signature_id}", "get") == \
        SIGNATURE.output_schema()
    assert _schema(spec, "/people/{person_id}", "get") == PERSON.output_schema()
    body = spec["paths"]["/petitions/{petition_id}"]["put"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == PETITION.input_schema()


def test_what_the_api_shows_is_what_the_document_lists(app, client, organisation, petition):
    factories.create_signers(petition, 2, contact_ok=True)
    headers = {"OSDI-API-Token": factories.create_api_key(organisation, TokenScope.READ)}
    shown = client.get(f"/api/v1/petitions/{petition.id}", headers=headers).json
    assert set(shown) == set(PETITION.output_schema()["properties"])
    person = client.get("/api/v1/people", headers=headers).json["_embedded"]["osdi:people"][0]
    assert set(person) == set(PERSON.output_schema()["properties"])


def test_the_api_changes_what_the_organisers_form_changes():
    form_fields = {name for name in dir(PetitionForm)
                   if isinstance(getattr(PetitionForm, name), UnboundField)}
    changes = {field.change for field in PETITION.fields if field.change} - {"slug", "state"}
    assert changes and changes <= form_fields


def test_a_value_outside_the_declaration_is_refused_naming_the_field(app, client):
    organisation = factories.create_organisation()
    petition = factories.create_open_petition(organisation)
    headers = {"OSDI-API-Token": factories.create_api_key(organisation, TokenScope.WRITE)}
    for body, message in (
            ({"campaign:state": "archived"}, "campaign:state must be one of draft, open"),
            ({"target": [{"name": "x" * 201}]}, "target[0].name must be text of 1 to 200"),
            ({"summary": None}, "summary must be text")):
        response = client.put(f"/api/v1/petitions/{petition.id}", headers=headers, json=body)
        assert response.status_code == 400, body
        assert message in response.json["error"]["message"]
