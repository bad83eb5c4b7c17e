"""The signers of an organisation's petitions as OSDI people; an email only where the signer
agreed to be contacted."""

from __future__ import annotations

from flask import g

from campaign.accounts.models import TokenScope
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.signatures.models import Signature, SignatureState
from campaign.web.api.operations import ApiError, hal, operation
from campaign.web.api.paging import PAGE_PARAMS, PERSON_ID, collection
from campaign.web.api.resources import PERSON, collection_schema


def _org_signatures():
    return db.select(Signature).join(Petition).where(
        Petition.organisation_id == g.api_organisation.id)


@operation("/people", "GET", "The organisation's signers.", scope=TokenScope.READ,
           response=collection_schema(PERSON, "osdi:people"), parameters=PAGE_PARAMS)
def list_people():
    """List the signers of the organisation's petitions."""
    query = _org_signatures().where(Signature.state != SignatureState.WITHDRAWN) \
        .order_by(Signature.id)
    return hal(collection(query, "osdi:people", PERSON.dump, "api.list_people"))


@operation("/people/{person_id}", "GET", "One signer.", scope=TokenScope.READ,
           response=PERSON.output_schema(), parameters=[PERSON_ID])
def get_person(person_id: int):
    """Show one signer."""
    signature = db.session.scalar(_org_signatures().where(Signature.id == person_id))
    if signature is None or signature.state == SignatureState.WITHDRAWN:
        raise ApiError("Your organisation has no signer with this id.", 404)
    return hal(PERSON.dump(signature))
