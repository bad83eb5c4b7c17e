"""The API's resources, each declared once (see schema.py): what a petition, a signature and a
person look like in OSDI form, what a body may send, and the other shapes the API answers."""

from __future__ import annotations

from campaign.petitions.services import AddresseeData
from campaign.signatures import counters
from campaign.signatures.models import Signature
from campaign.signatures.services import public_goal
from campaign.urls import external_url
from campaign.web.api.schema import (
    LINKS,
    Anything,
    Choice,
    Field,
    Integer,
    Invalid,
    List,
    Moment,
    Object,
    Resource,
    Text,
    attribute,
)

ORIGIN = "Campaign"
STRINGS = List(Text())
OUTCOME = Object({"date": Moment(day=True), "note": Text(nullable=True)}, required=["date"],
                 nullable=True)


def _head(kind: str, *, created: dict, modified: dict) -> list[Field]:
    """The fields every resource opens with: its identifier, this system, and its dates."""
    return [
        Field("identifiers", STRINGS, required=True,
              dump=lambda record, **_c: [f"campaign:{kind}-{record.id}"]),
        Field("origin_system", Text(), dump=lambda record, **_c: ORIGIN),
        Field("created_date", Moment(), **created),
        Field("modified_date", Moment(), **modified),
    ]


def _link(endpoint: str, **values) -> dict:
    return {"href": external_url(endpoint, **values)}


def _outcome(day, note) -> dict | None:
    return {"date": day.isoformat(), "note": note} if day else None


# Petitions ------------------------------------------------------------------------------

def _total(petition, total: int | None = None, **_context) -> int:
    return counters.signature_count(petition.id) if total is None else total


def _petition_text(petition, **_context) -> str:
    demands = "\n".join(f"- {d.text}" for d in petition.demands)
    return "\n".join(filter(None, (petition.summary, demands)))


def _targets(petition, **_context) -> list[dict]:
    return [{"name": a.holder_name or a.office_title, "title": a.office_title,
             "organization": a.institution} for a in petition.addressees]


def _addressees(targets: list[dict]) -> list[AddresseeData]:
    """Targets as the organisers' form gives addressees: an office, its holder, its
    institution (found in the directory, or added to it)."""
    found = []
    for target in targets:
        name = target["name"].strip()
        if not name:
            raise Invalid("Each target needs a name of at most 200 characters.")
        office = (target.get("title") or "").strip()
        organization = (target.get("organization") or "").strip()
        found.append(AddresseeData(office or name, name if office else None,
                                   organization or None))
    return found


def _petition_links(petition, **_context) -> dict:
    return {
        "self": _link("api.get_petition", petition_id=petition.id),
        "osdi:signatures": _link("api.list_signatures", petition_id=petition.id),
        "osdi:record_signature_helper": _link("api.record_signature_helper",
                                              petition_id=petition.id),
    }


TARGET = Object({"name": Text(min_length=1, max_length=200),
                 "title": Text(max_length=200, nullable=True),
                 "organization": Text(max_length=200, nullable=True)}, required=["name"])
STATES = ("draft", "open", "closed")

PETITION = Resource("petition", [
    *_head("petition", created={"dump": attribute("created_at")},
           modified={"dump": attribute("updated_at")}),
    Field("name", Text(max_length=80), dump=attribute("slug"), change="slug",
          shown_as=Text()),
    Field("title", Text(min_length=1, max_length=200), dump=attribute("title"),
          change="title", required=True, shown_as=Text()),
    Field("summary", Text(max_length=500), dump=attribute("summary"), change="summary",
          shown_as=Text()),
    Field("description", Text(max_length=50_000), dump=attribute("body_html"),
          change="body_markdown", shown_as=Text(description="HTML; sent as Markdown")),
    Field("petition_text", Text(), dump=_petition_text),
    Field("browser_url", Text(), dump=lambda p, **_c: external_url("public.pages.petition",
                                                                   slug=p.slug)),
    Field("total_signatures", Integer(minimum=0), dump=_total, required=True),
    Field("target", List(TARGET, max_items=50, noun="objects"), dump=_targets,
          change="addressees", convert=_addressees),
    Field("campaign:goal", Integer(minimum=1, maximum=1_000_000_000, nullable=True),
          dump=attribute("goal"), change="goal", shown_as=Integer(nullable=True)),
    Field("campaign:next_goal", Integer(nullable=True),
          dump=lambda p, **c: public_goal(p, _total(p, **c))),
    Field("campaign:state", Choice(STATES), change="state",
          dump=lambda p, **_c: p.current_state.value),
    Field("campaign:closed_date", Moment(nullable=True), dump=attribute("ended_at")),
    Field("campaign:delivered", OUTCOME,
          dump=lambda p, **_c: _outcome(p.delivered_on, p.delivered_note)),
    Field("campaign:won", OUTCOME, dump=lambda p, **_c: _outcome(p.won_on, p.won_note)),
    Field("_links", LINKS, dump=_petition_links, required=True),
])


# Signatures and people ------------------------------------------------------------------

def _signature_links(signature, **_context) -> dict:
    return {
        "self": _link("api.get_signature", petition_id=signature.petition_id,
                      signature_id=signature.id),
        "osdi:petition": _link("api.get_petition", petition_id=signature.petition_id),
        "osdi:person": _link("api.get_person", person_id=signature.id),
    }


SIGNATURE_STATES = ("pending", "confirmed", "invalidated", "withdrawn")

SIGNATURE = Resource("signature", [
    *_head("signature", created={"column": Signature.created_at, "required": True},
           modified={"column": Signature.modified_at, "required": True}),
    Field("action_date", Moment(nullable=True), dump=attribute("confirmed_at")),
    Field("comments", Text(nullable=True), dump=attribute("comment")),
    Field("referrer_data", Anything({"type": "object"}),
          dump=lambda s, **_c: {"source": s.source} if s.source else {}),
    Field("campaign:status", Choice(SIGNATURE_STATES), dump=lambda s, **_c: s.state.value),
    Field("_links", LINKS, dump=_signature_links, required=True),
])


def _names(signature) -> tuple[str, str]:
    given, _space, family = signature.full_name.strip().partition(" ")
    return given, family


def _emails(signature, **_context) -> list[dict]:
    """Only the address of a confirmed signer who agreed to be contacted."""
    if not signature.contact_email:
        return []
    return [{"primary": True, "address": signature.contact_email, "status": "subscribed"}]


PERSON = Resource("person", [
    *_head("person", created={"dump": attribute("created_at")},
           modified={"dump": attribute("modified_at")}),
    Field("given_name", Text(), dump=lambda s, **_c: _names(s)[0]),
    Field("family_name", Text(), dump=lambda s, **_c: _names(s)[1]),
    Field("email_addresses", List(Anything({"type": "object"})), dump=_emails),
    Field("postal_addresses", List(Anything({"type": "object"})), dump=lambda s, **_c: [{
        "primary": True, "country": s.country, "locality": s.city,
        "postal_code": s.postal_code}]),
    Field("languages_spoken", STRINGS, dump=lambda s, **_c: [s.locale]),
    Field("_links", LINKS, required=True,
          dump=lambda s, **_c: {"self": _link("api.get_person", person_id=s.id)}),
])

# What record_signature_helper takes: a person, a comment, where the signature came from.
SIGNER = Object({
    "given_name": Text(max_length=60),
    "family_name": Text(max_length=60),
    "email_addresses": List(Object({"address": Text()}, required=["address"])),
    "postal_addresses": List(Object({"country": Text(), "locality": Text(),
                                     "postal_code": Text()})),
}, message="person is required: given_name, family_name, email_addresses, postal_addresses.")

SIGNATURE_INPUT = Resource("signature input", [
    Field("person", SIGNER, change="person"),
    Field("comments", Text(max_length=500), change="comment"),
    Field("action_date", Moment(), change="action_date"),
    Field("referrer_data", Object({"source": Text()}), change="referrer_data"),
])


# The other shapes ----------------------------------------------------------------------

def collection_schema(resource: Resource, rel: str) -> dict:
    """A page of a collection, OSDI style."""
    return {
        "type": "object",
        "properties": {
            "total_pages": {"type": "integer"}, "per_page": {"type": "integer"},
            "page": {"type": "integer"}, "total_records": {"type": "integer"},
            "_embedded": {"type": "object", "required": [rel], "properties": {
                rel: {"type": "array", "items": resource.output_schema()}}},
            "_links": LINKS.json_schema(),
        },
        "required": ["total_pages", "per_page", "page", "total_records", "_embedded", "_links"],
    }


ENTRY_POINT = Resource("entry point", [
    Field("motd", Text(), dump=lambda c, **_: "Petitions, signatures and signers, in OSDI form."),
    Field("max_pagesize", Integer(), dump=lambda c, max_pagesize, **_: max_pagesize),
    Field("osdi_version", Text(), dump=lambda c, **_: "1.0", required=True),
    Field("vendor_name", Text(), dump=lambda c, **_: "Campaign"),
    Field("product_name", Text(), dump=lambda c, **_: "Campaign petitions"),
    Field("namespace", Text(), dump=lambda c, **_: "campaign"),
    Field("_links", LINKS, required=True, dump=lambda c, **_: {
        "self": _link("api.entry_point"),
        "osdi:petitions": _link("api.list_petitions"),
        "osdi:people": _link("api.list_people"),
        "docs": _link("api.openapi"),
        "curies": [
            {"name": "osdi", "href": "http://opensupporter.org/api/v1/{rel}",
             "templated": True},
            {"name": "campaign", "href": external_url("api.openapi") + "#{rel}",
             "templated": True},
        ],
    }),
])

EMPTY = {"type": "object", "maxProperties": 0}
ERROR = {
    "type": "object",
    "properties": {"error": {"type": "object", "properties": {
        "status": {"type": "integer"}, "title": {"type": "string"},
        "message": {"type": "string"}}}},
    "required": ["error"],
}

