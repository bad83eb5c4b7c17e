"""Every change is in the audit log, whatever the door: what a program does through the API
with a key is recorded with the key as the actor, and keeps revisions as the organisers'
pages do; delivery-log entries can be completed later, audited."""

from datetime import date

from campaign.accounts.models import AuditEvent
from campaign.extensions import db
from campaign.letters import services as letters
from campaign.petitions.models import Petition, PetitionRevision
from campaign.signatures.models import Signature
from tests import factories
from tests.browserform import form_on, send
from tests.conftest import Browser, login


def _events():
    db.session.rollback()
    return db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()


def test_changes_made_with_a_key_are_audited_with_the_key_as_actor(app, organisation, owner):
    from campaign.accounts.models import TokenScope
    from campaign.accounts.tokens import create_token

    _token, key = create_token(organisation, TokenScope.WRITE, "CRM sync")
    db.session.commit()
    api = Browser(app)
    headers = {"OSDI-API-Token": key}
    created = api.post("/api/v1/petitions", headers=headers, json={
        "title": "Bring them home", "description": "Text as signed.", "campaign:state": "open",
        "target": [{"name": "UN Secretary-General"}]})
    assert created.status_code == 201
    petition_id = int(created.json["identifiers"][0].split("-")[-1])
    edited = api.post(f"/api/v1/petitions/{petition_id}", method="PUT", headers=headers,
                      json={"description": "Text changed after people signed."})
    assert edited.status_code == 200
    goal_only = api.post(f"/api/v1/petitions/{petition_id}", method="PUT", headers=headers,
                         json={"campaign:goal": 5000, "description": "Text changed after "
                                                                     "people signed.\r\n"})
    assert goal_only.status_code == 200
    recorded = api.post(f"/api/v1/petitions/{petition_id}/record_signature_helper",
                        headers=headers, json={"person": {
                            "given_name": "Anna", "family_name": "Petrosyan",
                            "postal_addresses": [{"country": "AM"}]}})
    assert recorded.status_code == 200
    closed = api.post(f"/api/v1/petitions/{petition_id}", method="PUT", headers=headers,
                      json={"campaign:state": "closed"})
    assert closed.json["campaign:state"] == "closed"

    events = _events()
    assert [e.action for e in events] == [
        "petition.created", "petition.state_changed", "petition.edited", "petition.edited",
        "signature.recorded", "petition.state_changed"]
    assert {e.api_token.name for e in events} == {"CRM sync"}
    assert events[2].details == {"fields": ["body_markdown"]}
    assert events[3].details == {"fields": ["goal"]}
    [revision] = db.session.scalars(db.select(PetitionRevision)).all()
    assert revision.body_markdown == "Text as signed."
    assert db.session.get(Petition, petition_id).body_markdown == (
        "Text changed after people signed.")
    assert db.session.scalar(db.select(Signature.recorded_via)) == "api"

    client = Browser(app)
    login(client, owner)
    page = client.get(f"/o/{organisation.slug}/audit").get_data(as_text=True)
    assert "API key “CRM sync”" in page


def test_a_delivery_entry_is_completed_weeks_later_and_audited(app, organisation, editor):
    letter = factories.create_letter(organisation)
    letters.finalise(letter, None)
    letters.record_delivery(letter, channel="post", sent_on=date(2026, 1, 15), reference=None,
                            response_on=None, response_summary=None, follow_up_on=None)
    db.session.commit()
    client = Browser(app)
    login(client, editor)
    base = f"/o/{organisation.slug}/letters/{letter.id}"
    form = form_on(client, base, button="Save the entry")
    prefix = next(name for name in form.names() if name.endswith("response_on"))[:-len(
        "response_on")]
    form.set(f"{prefix}reference", "RR123456").set(f"{prefix}response_on", "2026-02-20")
    form.set(f"{prefix}response_summary", "Acknowledged; raised with the state.")
    assert send(client, form).status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "RR123456" in page and "2026-02-20: Acknowledged; raised with the state." in page
    [event] = [e for e in _events() if e.action == "letter.delivery_updated"]
    assert event.details["fields"] == ["reference", "response_on", "response_summary"]
    early = form_on(client, base, button="Save the entry")
    early.set(f"{prefix}response_on", "2026-01-01")
    send(client, early)
    assert "2026-01-01" not in client.get(base).get_data(as_text=True), (
        "a response cannot predate the sending")


def test_a_key_needs_a_name_to_be_created(app, organisation, owner):
    client = Browser(app)
    login(client, owner)
    form = form_on(client, f"/o/{organisation.slug}/tokens", button="Create")
    response = send(client, form)
    assert b"its name appears in the audit log" in response.data
    db.session.rollback()
    from campaign.accounts.models import ApiToken

    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0
