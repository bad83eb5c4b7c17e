"""Signing through the API: anyone, confirming by email; or an organisation's write key,
recording a confirmed offline signature."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import current_app, g, request

from campaign.accounts import audit
from campaign.accounts.models import TokenScope
from campaign.extensions import limiter
from campaign.geography import is_country_code
from campaign.petitions import services as petitions
from campaign.signatures.offline import (
    RECORDED_VIA_API,
    OfflineSignature,
    record_offline_signature,
)
from campaign.signatures.services import SignatureInput, sign_petition
from campaign.web.api.operations import (
    ApiError,
    hal,
    json_body,
    operation,
    organisation_petition,
)
from campaign.web.api.paging import PETITION_ID
from campaign.web.api.resources import EMPTY, SIGNATURE, SIGNATURE_INPUT


def _signer(data: dict) -> dict:
    """What the body says of the signer (validated by SIGNATURE_INPUT), as the signing
    services take it."""
    body = SIGNATURE_INPUT.load(data)
    if "person" not in body:
        raise ApiError("person is required: given_name, family_name, email_addresses, "
                       "postal_addresses.", 400)
    person = body["person"]
    names = (person.get("given_name"), person.get("family_name"))
    full_name = " ".join(n.strip() for n in names if n and n.strip())
    emails = person.get("email_addresses") or [{}]
    postal = (person.get("postal_addresses") or [{}])[0]
    country = postal.get("country") or ""
    if not is_country_code(country.upper()):
        raise ApiError("postal_addresses[0].country must be an ISO 3166-1 alpha-2 code.", 400)
    if not full_name or len(full_name) > 120:
        raise ApiError("The person needs a name of at most 120 characters.", 400)

    def text(value, limit):
        return value.strip()[:limit] if value and value.strip() else None

    return {"full_name": full_name, "email": emails[0].get("address"),
            "country": country.upper(), "city": text(postal.get("locality"), 100),
            "postal_code": text(postal.get("postal_code"), 16),
            "comment": body.get("comment")}


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
           scope=TokenScope.WRITE, optional_auth=True,
           response={"oneOf": [EMPTY, SIGNATURE.output_schema()]}, parameters=[PETITION_ID],
           request_body=SIGNATURE_INPUT.input_schema(required=["person"]))
@limiter.limit(_helper_rate_limit, exempt_when=lambda: bool(g.get("api_token")))
def record_signature_helper(petition_id: int):
    """Sign a petition through the API."""
    data = json_body()
    fields = _signer(data)
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
        return hal({})
    petition = organisation_petition(petition_id)
    signature = record_offline_signature(petition, OfflineSignature(
        full_name=fields["full_name"], email=fields["email"], country=fields["country"],
        city=fields["city"], postal_code=fields["postal_code"], comment=fields["comment"],
        via=RECORDED_VIA_API))
    audit.record(g.api_organisation, "signature.recorded", petition.slug,
                 signature=signature.id, source=signature.source)
    return hal(SIGNATURE.dump(signature))
