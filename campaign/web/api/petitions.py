"""Petitions through the API: list, read, create and update, with the organisers' services
and the same change sets as their forms (revisions and audit as in the pages)."""

from __future__ import annotations

import re

from flask import g

from campaign.accounts import audit
from campaign.accounts.models import TokenScope
from campaign.extensions import db
from campaign.petitions import services as petitions
from campaign.petitions.models import Petition, PetitionState
from campaign.web.api.operations import (
    ApiError,
    hal,
    json_body,
    operation,
    organisation_petition,
)
from campaign.web.api.paging import PAGE_PARAMS, PETITION_ID, collection
from campaign.web.api.resources import PETITION, collection_schema


@operation("/petitions", "GET", "The organisation's petitions.", scope=TokenScope.READ,
           response=collection_schema(PETITION, "osdi:petitions"), parameters=PAGE_PARAMS)
def list_petitions():
    """List petitions, newest first."""
    query = db.select(Petition).where(Petition.organisation_id == g.api_organisation.id) \
        .order_by(Petition.id.desc())
    return hal(collection(query, "osdi:petitions", PETITION.dump, "api.list_petitions"))


@operation("/petitions/{petition_id}", "GET", "One petition.", scope=TokenScope.READ,
           response=PETITION.output_schema(), parameters=[PETITION_ID])
def get_petition(petition_id: int):
    """Show one petition."""
    return hal(PETITION.dump(organisation_petition(petition_id)))


def _change_state(petition: Petition, state: str | None) -> None:
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


def _free_slug(changes: dict) -> str:
    """The address the body names, or one made from the title that no petition uses."""
    slug = changes.get("slug") or _slugify(changes["title"])
    base, n = slug, 1
    while db.session.scalar(db.select(Petition.id).where(Petition.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    if "slug" in changes and slug != changes["slug"]:
        raise ApiError(f"The name {changes['slug']!r} is taken or not a valid address.", 409)
    return slug


@operation("/petitions", "POST", "Create a petition (a draft unless campaign:state is open).",
           scope=TokenScope.WRITE, response=PETITION.output_schema(), status=201,
           request_body=PETITION.input_schema())
def create_petition():
    """Create a petition."""
    changes = PETITION.load(json_body())
    if not (changes.get("title") or "").strip():
        raise ApiError("A petition needs a title.", 400)
    state = changes.pop("state", None)
    if state == "closed":
        raise ApiError("A new petition starts as a draft or open.", 400)
    slug = _free_slug(changes)
    changes.pop("slug", None)
    petition = petitions.create_petition(g.api_organisation, slug=slug, **changes)
    audit.record(g.api_organisation, "petition.created", petition.slug)
    _change_state(petition, state)
    return hal(PETITION.dump(petition, total=0), 201)


@operation("/petitions/{petition_id}", "PUT", "Update a petition: given fields are merged.",
           scope=TokenScope.WRITE, response=PETITION.output_schema(), parameters=[PETITION_ID],
           request_body=PETITION.input_schema())
def update_petition(petition_id: int):
    """Update a petition: the organisers' service, revision and audit included."""
    petition = organisation_petition(petition_id)
    changes = PETITION.load(json_body())
    state = changes.pop("state", None)
    changes.pop("slug", None)  # the address is chosen once, as in the organisers' form
    if state == "draft" and petition.state != PetitionState.DRAFT:
        raise ApiError("A published petition cannot go back to draft.", 409)
    changed = petitions.edit_petition(petition, changes)
    if changed:
        audit.record(g.api_organisation, "petition.edited", petition.slug, fields=changed)
    _change_state(petition, state)
    return hal(PETITION.dump(petition))
