"""A petition's signatures through the API, oldest first, filtered by date to sync changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import request
from sqlalchemy import and_

from campaign.accounts.models import TokenScope
from campaign.extensions import db
from campaign.signatures.models import Signature
from campaign.web.api.operations import ApiError, hal, operation, organisation_petition
from campaign.web.api.paging import FILTER, PAGE_PARAMS, PETITION_ID, SIGNATURE_ID, collection
from campaign.web.api.resources import SIGNATURE, collection_schema

OPERATORS = {"eq": "__eq__", "ne": "__ne__", "gt": "__gt__", "ge": "__ge__", "lt": "__lt__",
             "le": "__le__"}
COLUMNS = SIGNATURE.columns()  # the fields the declaration gives a column
FILTER_PATTERN = re.compile(
    rf"^\s*({'|'.join(COLUMNS)})\s+({'|'.join(OPERATORS)})\s+'([^']+)'\s*$")


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
           scope=TokenScope.READ, response=collection_schema(SIGNATURE, "osdi:signatures"),
           parameters=[PETITION_ID, *PAGE_PARAMS, FILTER])
def list_signatures(petition_id: int):
    """List signatures, oldest first; filter by modified_date to sync changes."""
    petition = organisation_petition(petition_id)
    query = db.select(Signature).where(Signature.petition_id == petition.id,
                                       and_(True, *_filters(request.args.get("filter")))) \
        .order_by(Signature.modified_at, Signature.id)
    return hal(collection(query, "osdi:signatures", SIGNATURE.dump, "api.list_signatures",
                           petition_id=petition.id))


@operation("/petitions/{petition_id}/signatures/{signature_id}", "GET", "One signature.",
           scope=TokenScope.READ, response=SIGNATURE.output_schema(),
           parameters=[PETITION_ID, SIGNATURE_ID])
def get_signature(petition_id: int, signature_id: int):
    """Show one signature."""
    petition = organisation_petition(petition_id)
    signature = db.session.scalar(db.select(Signature).where(
        Signature.id == signature_id, Signature.petition_id == petition.id))
    if signature is None:
        raise ApiError("This petition has no signature with this id.", 404)
    return hal(SIGNATURE.dump(signature))
