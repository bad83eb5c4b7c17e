"""Petitions through the API: list, read, create and update, with the organisers' services
(revisions and audit as in the pages)."""

from __future__ import annotations

import re

from flask import g

from campaign.accounts import audit
from campaign.accounts.models import TokenScope
from campaign.extensions import db
from campaign.petitions import services as petitions
from campaign.petitions.models import Petition, PetitionState
from campaign.web.api import schemas
from campaign.web.api.operations import (
    ApiError,
    hal,
    json_body,
    operation,
    organisation_petition,
)
from campaign.web.api.paging import PAGE_PARAMS, PETITION_ID, collection
from campaign.web.api.resources import petition_resource


@operation("/petitions", "GET", "The organisation's petitions.", scope=TokenScope.READ,
           response=schemas.collection(schemas.PETITION, "osdi:petitions"),
           parameters=PAGE_PARAMS)
def list_petitions():
    """List petitions, newest first."""
    query = db.select(Petition).where(Petition.organisation_id == g.api_organisation.id) \
        .order_by(Petition.id.desc())
    return hal(collection(query, "osdi:petitions", petition_resource, "api.list_petitions"))


@operation("/petitions/{petition_id}", "GET", "One petition.", scope=TokenScope.READ,
           response=schemas.PETITION, parameters=[PETITION_ID])
def get_petition(petition_id: int):
    """Show one petition."""
    return hal(petition_resource(organisation_petition(petition_id)))


def _text(data: dict, key: str, limit: int) -> str:
    value = data[key]
    if not isinstance(value, str) or len(value) > limit:
        raise ApiError(f"{key} must be text of at most {limit} characters.", 400)
    return value


def _goal(data: dict) -> int | None:
    goal = data["campaign:goal"]
    if goal is not None and (not isinstance(goal, int) or isinstance(goal, bool) or
                             not 1 <= goal <= 1_000_000_000):
        raise ApiError("campaign:goal must be a whole number from 1, or null.", 400)
    return goal


def _targets(data: dict) -> list[petitions.AddresseeData]:
    targets = data["target"]
    if not isinstance(targets, list) or len(targets) > 50:
        raise ApiError("target must be a list of at most 50 objects.", 400)
    found = []
    for target in targets:
        if not isinstance(target, dict) or not isinstance(target.get("name"), str) or \
                not target["name"].strip() or len(target["name"]) > 200:
            raise ApiError("Each target needs a name of at most 200 characters.", 400)
        office = target.get("title") if isinstance(target.get("title"), str) else None
        organization = target.get("organization")
        found.append(petitions.AddresseeData(
            (office or target["name"]).strip()[:200],
            target["name"].strip() if office else None,
            organization.strip()[:200] if isinstance(organization, str) and organization.strip()
            else None))
    return found


def petition_changes(data: dict) -> dict:
    """The change set of an API body: the same one the organiser's form gives the service,
    with only the fields the body names (a field left out stays as it is)."""
    readers = {"title": lambda d: _text(d, "title", 200),
               "summary": lambda d: _text(d, "summary", 500),
               "body_markdown": lambda d: _text(d, "description", 50_000),
               "goal": _goal, "addressees": _targets}
    names = {"title": "title", "summary": "summary", "body_markdown": "description",
             "goal": "campaign:goal", "addressees": "target"}
    return {field: readers[field](data) for field, key in names.items() if key in data}


def _change_state(petition: Petition, data: dict) -> None:
    state = data.get("campaign:state")
    if state is None or state == petition.current_state.value:
        return
    if state == "open":
        petitions.open_petition(petition)
    elif state == "closed":
        petitions.close_petition(petition)
    else:
        raise ApiError("campaign:state can change to open or closed only.", 400)
    audit.record(petition.organisation, "petition.state_changed", petition.slug, state=state)


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return slug or "petition"


@operation("/petitions", "POST", "Create a petition (a draft unless campaign:state is open).",
           scope=TokenScope.WRITE, response=schemas.PETITION, status=201,
           request_body=schemas.PETITION_INPUT)
def create_petition():
    """Create a petition."""
    data = json_body()
    changes = petition_changes(data)
    if not (changes.get("title") or "").strip():
        raise ApiError("A petition needs a title.", 400)
    if data.get("campaign:state") == "closed":
        raise ApiError("A new petition starts as a draft or open.", 400)
    slug = _text(data, "name", 80) if "name" in data else _slugify(changes["title"])
    base, n = slug, 1
    while db.session.scalar(db.select(Petition.id).where(Petition.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    if "name" in data and slug != data["name"]:
        raise ApiError(f"The name {data['name']!r} is taken or not a valid address.", 409)
    petition = petitions.create_petition(g.api_organisation, slug=slug, **changes)
    audit.record(g.api_organisation, "petition.created", petition.slug)
    _change_state(petition, data)
    return hal(petition_resource(petition, 0), 201)


@operation("/petitions/{petition_id}", "PUT", "Update a petition: given fields are merged.",
           scope=TokenScope.WRITE, response=schemas.PETITION, parameters=[PETITION_ID],
           request_body=schemas.PETITION_INPUT)
def update_petition(petition_id: int):
    """Update a petition: the organisers' service, revision and audit included."""
    petition = organisation_petition(petition_id)
    data = json_body()
    if data.get("campaign:state") == "draft" and petition.state != PetitionState.DRAFT:
        raise ApiError("A published petition cannot go back to draft.", 409)
    changed = petitions.edit_petition(petition, petition_changes(data))
    if changed:
        audit.record(g.api_organisation, "petition.edited", petition.slug, fields=changed)
    _change_state(petition, data)
    return hal(petition_resource(petition))
