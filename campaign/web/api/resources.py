"""How the project's records look as OSDI resources."""

from __future__ import annotations

from campaign.petitions.models import Petition
from campaign.signatures import counters
from campaign.signatures.models import Signature
from campaign.signatures.services import public_goal
from campaign.urls import external_url

ORIGIN = "Campaign"


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _outcome(day, note) -> dict | None:
    return {"date": day.isoformat(), "note": note} if day else None


def _link(endpoint: str, **values) -> dict:
    return {"href": external_url(endpoint, **values)}


def petition_resource(petition: Petition, total: int | None = None) -> dict:
    total = counters.signature_count(petition.id) if total is None else total
    demands = "\n".join(f"- {d.text}" for d in petition.demands)
    return {
        "identifiers": [f"campaign:petition-{petition.id}"],
        "origin_system": ORIGIN,
        "created_date": _iso(petition.created_at),
        "modified_date": _iso(petition.updated_at),
        "name": petition.slug,
        "title": petition.title,
        "summary": petition.summary,
        "description": petition.body_html,
        "petition_text": "\n".join(filter(None, (petition.summary, demands))),
        "browser_url": external_url("public.pages.petition", slug=petition.slug),
        "total_signatures": total,
        "target": [
            {"name": a.holder_name or a.office_title, "title": a.office_title,
             "organization": a.institution}
            for a in petition.addressees
        ],
        "campaign:goal": petition.goal,
        "campaign:next_goal": public_goal(petition, total),
        "campaign:state": petition.current_state.value,
        "campaign:closed_date": _iso(petition.ended_at),
        "campaign:delivered": _outcome(petition.delivered_on, petition.delivered_note),
        "campaign:won": _outcome(petition.won_on, petition.won_note),
        "_links": {
            "self": _link("api.get_petition", petition_id=petition.id),
            "osdi:signatures": _link("api.list_signatures", petition_id=petition.id),
            "osdi:record_signature_helper": _link("api.record_signature_helper",
                                                  petition_id=petition.id),
        },
    }


def _names(signature: Signature) -> tuple[str, str]:
    given, _space, family = signature.full_name.strip().partition(" ")
    return given, family


def signature_resource(signature: Signature) -> dict:
    return {
        "identifiers": [f"campaign:signature-{signature.id}"],
        "origin_system": ORIGIN,
        "created_date": _iso(signature.created_at),
        "modified_date": _iso(signature.modified_at),
        "action_date": _iso(signature.confirmed_at),
        "comments": signature.comment,
        "referrer_data": {"source": signature.source} if signature.source else {},
        "campaign:status": signature.state.value,
        "_links": {
            "self": _link("api.get_signature", petition_id=signature.petition_id,
                          signature_id=signature.id),
            "osdi:petition": _link("api.get_petition", petition_id=signature.petition_id),
            "osdi:person": _link("api.get_person", person_id=signature.id),
        },
    }


def person_resource(signature: Signature) -> dict:
    """A signer as a person; the email only where they agreed to be contacted."""
    given, family = _names(signature)
    person = {
        "identifiers": [f"campaign:person-{signature.id}"],
        "origin_system": ORIGIN,
        "created_date": _iso(signature.created_at),
        "modified_date": _iso(signature.modified_at),
        "given_name": given,
        "family_name": family,
        "email_addresses": [],
        "postal_addresses": [{
            "primary": True, "country": signature.country,
            "locality": signature.city, "postal_code": signature.postal_code,
        }],
        "languages_spoken": [signature.locale],
        "_links": {"self": _link("api.get_person", person_id=signature.id)},
    }
    if signature.contact_email:
        person["email_addresses"] = [{"primary": True, "address": signature.contact_email,
                                      "status": "subscribed"}]
    return person
