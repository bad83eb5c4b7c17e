"""The API's operations: the entry point, petitions, signatures, people and the
record_signature_helper."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app, g, request
from sqlalchemy import and_

from campaign.accounts import audit
from campaign.accounts.models import TokenScope
from campaign.exports.api import schemas
from campaign.exports.api.registry import ApiError, bp, hal, json_body, max_page_size, operation
from campaign.exports.api.resources import person_resource, petition_resource, signature_resource
from campaign.extensions import db, limiter
from campaign.geography import is_country_code
from campaign.petitions import services as petitions
from campaign.petitions.models import Petition, PetitionState
from campaign.signatures.models import Signature, SignatureState
from campaign.signatures.offline import (
    RECORDED_VIA_API,
    OfflineSignature,
    record_offline_signature,
)
from campaign.signatures.services import SignatureInput, sign_petition
from campaign.urls import external_url

PAGE_PARAMS = [
    {"name": "page", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                   "maximum": 100}},
]
PETITION_ID = {"name": "petition_id", "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}
SIGNATURE_ID = {"name": "signature_id", "in": "path", "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}
PERSON_ID = {"name": "person_id", "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}
FILTER = {"name": "filter", "in": "query", "schema": {"type": "string"},
          "description": "OData, e.g. modified_date gt '2026-01-01T00:00:00Z'"}


MAX_PAGE = PAGE_PARAMS[0]["schema"]["maximum"]
# The query parameters a collection's links carry on: the rest are ignored.
LINKED_ARGS = ("filter",)


def _page_args() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 25))
    except ValueError:
        raise ApiError("page and per_page must be whole numbers.", 400) from None
    if not 1 <= page <= MAX_PAGE or not 1 <= per_page <= max_page_size():
        raise ApiError(f"page must be from 1 to {MAX_PAGE} and per_page from 1 to "
                       f"{max_page_size()}.", 400)
    return page, per_page


def _collection(query, rel: str, serialise, endpoint: str, **values) -> dict:
    page, per_page = _page_args()
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    pages = max(math.ceil(total / per_page), 1)
    args = {k: v for k, v in request.args.items() if k in LINKED_ARGS}

    def link(number: int) -> dict:
        return {"href": external_url(endpoint, page=number, per_page=per_page, **values,
                                     **args)}

    links = {"self": link(page)}
    if page < pages:
        links["next"] = link(page + 1)
    if page > 1:
        links["previous"] = link(page - 1)
    return {"total_pages": pages, "per_page": per_page, "page": page, "total_records": total,
            "_embedded": {rel: [serialise(item) for item in items]}, "_links": links}


@operation("/", "GET", "The entry point: links to every collection.", scope=None,
           response=schemas.AEP)
def entry_point():
    """List what the API offers."""

    def link(endpoint: str) -> dict:
        return {"href": external_url(endpoint)}

    return hal({
        "motd": "Petitions, signatures and signers, in OSDI form.",
        "max_pagesize": max_page_size(),
        "osdi_version": "1.0",
        "vendor_name": "Campaign",
        "product_name": "Campaign petitions",
        "namespace": "campaign",
        "_links": {
            "self": link("api.entry_point"),
            "osdi:petitions": link("api.list_petitions"),
            "osdi:people": link("api.list_people"),
            "docs": link("api.openapi"),
            "curies": [
                {"name": "osdi", "href": "http://opensupporter.org/api/v1/{rel}",
                 "templated": True},
                {"name": "campaign", "href": external_url("api.openapi") +
                 "#{rel}", "templated": True},
            ],
        },
    })


def _org_petition(petition_id: int) -> Petition:
    petition = db.session.scalar(db.select(Petition).where(
        Petition.id == petition_id, Petition.organisation_id == g.api_organisation.id))
    if petition is None:
        raise ApiError("No petition of your organisation has this id.", 404)
    return petition


@operation("/petitions", "GET", "The organisation's petitions.", scope=TokenScope.READ,
           response=schemas.collection(schemas.PETITION, "osdi:petitions"),
           parameters=PAGE_PARAMS)
def list_petitions():
    """List petitions, newest first."""
    query = db.select(Petition).where(Petition.organisation_id == g.api_organisation.id) \
        .order_by(Petition.id.desc())
    return hal(_collection(query, "osdi:petitions", petition_resource, "api.list_petitions"))


@operation("/petitions/{petition_id}", "GET", "One petition.", scope=TokenScope.READ,
           response=schemas.PETITION, parameters=[PETITION_ID])
def get_petition(petition_id: int):
    """Show one petition."""
    return hal(petition_resource(_org_petition(petition_id)))


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
    db.session.commit()
    return hal(petition_resource(petition, 0), 201)


@operation("/petitions/{petition_id}", "PUT", "Update a petition: given fields are merged.",
           scope=TokenScope.WRITE, response=schemas.PETITION, parameters=[PETITION_ID],
           request_body=schemas.PETITION_INPUT)
def update_petition(petition_id: int):
    """Update a petition: the organisers' service, revision and audit included."""
    petition = _org_petition(petition_id)
    data = json_body()
    if data.get("campaign:state") == "draft" and petition.state != PetitionState.DRAFT:
        raise ApiError("A published petition cannot go back to draft.", 409)
    changed = petitions.edit_petition(petition, petition_changes(data))
    if changed:
        audit.record(g.api_organisation, "petition.edited", petition.slug, fields=changed)
    _change_state(petition, data)
    db.session.commit()
    return hal(petition_resource(petition))


FILTER_PATTERN = re.compile(
    r"^\s*(modified_date|created_date)\s+(eq|ne|gt|ge|lt|le)\s+'([^']+)'\s*$")
OPERATORS = {"eq": "__eq__", "ne": "__ne__", "gt": "__gt__", "ge": "__ge__", "lt": "__lt__",
             "le": "__le__"}
COLUMNS = {"modified_date": Signature.modified_at, "created_date": Signature.created_at}


def _filters(text: str | None) -> list:
    """OData comparisons joined by `and`: modified_date gt '2026-01-01T00:00:00Z'."""
    if not text:
        return []
    conditions = []
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        match = FILTER_PATTERN.match(part)
        if not match:
            raise ApiError("filter must look like modified_date gt '2026-01-01T00:00:00Z' "
                           "(fields modified_date, created_date; eq ne gt ge lt le; and).", 400)
        field, op, value = match.groups()
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ApiError(f"{value!r} is not an ISO 8601 date and time.", 400) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        conditions.append(getattr(COLUMNS[field], OPERATORS[op])(moment))
    return conditions


@operation("/petitions/{petition_id}/signatures", "GET", "A petition's signatures.",
           scope=TokenScope.READ, response=schemas.collection(schemas.SIGNATURE,
                                                              "osdi:signatures"),
           parameters=[PETITION_ID, *PAGE_PARAMS, FILTER])
def list_signatures(petition_id: int):
    """List signatures, oldest first; filter by modified_date to sync changes."""
    petition = _org_petition(petition_id)
    query = db.select(Signature).where(Signature.petition_id == petition.id,
                                       and_(True, *_filters(request.args.get("filter")))) \
        .order_by(Signature.modified_at, Signature.id)
    return hal(_collection(query, "osdi:signatures", signature_resource, "api.list_signatures",
                           petition_id=petition.id))


@operation("/petitions/{petition_id}/signatures/{signature_id}", "GET", "One signature.",
           scope=TokenScope.READ, response=schemas.SIGNATURE,
           parameters=[PETITION_ID, SIGNATURE_ID])
def get_signature(petition_id: int, signature_id: int):
    """Show one signature."""
    petition = _org_petition(petition_id)
    signature = db.session.scalar(db.select(Signature).where(
        Signature.id == signature_id, Signature.petition_id == petition.id))
    if signature is None:
        raise ApiError("This petition has no signature with this id.", 404)
    return hal(signature_resource(signature))


def _org_signatures():
    return db.select(Signature).join(Petition).where(
        Petition.organisation_id == g.api_organisation.id)


@operation("/people", "GET", "The organisation's signers.", scope=TokenScope.READ,
           response=schemas.collection(schemas.PERSON, "osdi:people"), parameters=PAGE_PARAMS)
def list_people():
    """List the signers of the organisation's petitions."""
    query = _org_signatures().where(Signature.state != SignatureState.WITHDRAWN) \
        .order_by(Signature.id)
    return hal(_collection(query, "osdi:people", person_resource, "api.list_people"))


@operation("/people/{person_id}", "GET", "One signer.", scope=TokenScope.READ,
           response=schemas.PERSON, parameters=[PERSON_ID])
def get_person(person_id: int):
    """Show one signer."""
    signature = db.session.scalar(_org_signatures().where(Signature.id == person_id))
    if signature is None or signature.state == SignatureState.WITHDRAWN:
        raise ApiError("Your organisation has no signer with this id.", 404)
    return hal(person_resource(signature))


def _person_fields(data: dict) -> dict:
    person = data.get("person")
    if not isinstance(person, dict):
        raise ApiError("person is required: given_name, family_name, email_addresses, "
                       "postal_addresses.", 400)
    names = [person.get("given_name"), person.get("family_name")]
    if any(n is not None and not isinstance(n, str) for n in names):
        raise ApiError("given_name and family_name must be text.", 400)
    full_name = " ".join(n.strip() for n in names if n and n.strip())
    emails = person.get("email_addresses") or []
    addresses = person.get("postal_addresses") or []
    if not isinstance(emails, list) or not isinstance(addresses, list):
        raise ApiError("email_addresses and postal_addresses must be lists.", 400)
    email = emails[0].get("address") if emails and isinstance(emails[0], dict) else None
    postal = addresses[0] if addresses and isinstance(addresses[0], dict) else {}
    country = postal.get("country")
    if not isinstance(country, str) or not is_country_code(country.upper()):
        raise ApiError("postal_addresses[0].country must be an ISO 3166-1 alpha-2 code.", 400)
    if not full_name or len(full_name) > 120:
        raise ApiError("The person needs a name of at most 120 characters.", 400)
    comments = data.get("comments")
    if comments is not None and (not isinstance(comments, str) or len(comments) > 500):
        raise ApiError("comments must be text of at most 500 characters.", 400)

    def text(value, limit):
        return value.strip()[:limit] if isinstance(value, str) and value.strip() else None

    return {"full_name": full_name, "email": email if isinstance(email, str) else None,
            "country": country.upper(), "city": text(postal.get("locality"), 100),
            "postal_code": text(postal.get("postal_code"), 16), "comment": comments}


def _valid_email(address: str) -> str:
    """The address in its normalised form (internationalised addresses included), or 400."""
    try:
        return validate_email(address, check_deliverability=current_app.config[
            "EMAIL_CHECK_DELIVERABILITY"]).normalized
    except EmailNotValidError as error:
        raise ApiError(f"The email address does not look right: {error}", 400) from None


def _helper_rate_limit() -> str:
    return current_app.config["SIGN_RATE_LIMIT"]


@operation("/petitions/{petition_id}/record_signature_helper", "POST",
           "Record a signature. Without a key: answers {} and the signer confirms by email. "
           "With a write key: records a confirmed offline signature.",
           scope=TokenScope.WRITE, optional_auth=True, response={
               "oneOf": [schemas.EMPTY, schemas.SIGNATURE]},
           parameters=[PETITION_ID], request_body=schemas.RECORD_SIGNATURE)
@limiter.limit(_helper_rate_limit, exempt_when=lambda: bool(g.get("api_token")))
def record_signature_helper(petition_id: int):
    """Sign a petition through the API."""
    data = json_body()
    fields = _person_fields(data)
    if fields["email"] is not None:
        fields["email"] = _valid_email(fields["email"])
    if g.api_organisation is None:
        # Anyone may sign through the API; they confirm by email, and nothing is revealed.
        petition = petitions.get_public_petition_by_id(petition_id)
        if not fields["email"]:
            raise ApiError("person.email_addresses[0].address is required.", 400)
        sign_petition(petitions.PetitionHead.of(petition), SignatureInput(
            full_name=fields["full_name"], email=fields["email"], country=fields["country"],
            postal_code=fields["postal_code"], city=fields["city"], comment=fields["comment"],
            source="api"), ip_address=request.remote_addr)
        db.session.commit()
        return hal({})
    petition = _org_petition(petition_id)
    signature = record_offline_signature(petition, OfflineSignature(
        full_name=fields["full_name"], email=fields["email"], country=fields["country"],
        city=fields["city"], postal_code=fields["postal_code"], comment=fields["comment"],
        via=RECORDED_VIA_API))
    audit.record(g.api_organisation, "signature.recorded", petition.slug,
                 signature=signature.id, source=signature.source)
    db.session.commit()
    return hal(signature_resource(signature))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API, generated from the operations above."""
    from campaign.exports.api.openapi import document

    return hal(document(), 200)

