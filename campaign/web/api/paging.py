"""Collections of the API: the parameters every operation shares, and pages of a query as
OSDI lists them (page, per_page, total_records, _embedded, _links)."""

from __future__ import annotations

import math

from flask import request

from campaign.extensions import db
from campaign.urls import external_url
from campaign.web.api.operations import ApiError, max_page_size

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

def page_args() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 25))
    except ValueError:
        raise ApiError("page and per_page must be whole numbers.", 400) from None
    if not 1 <= page <= MAX_PAGE or not 1 <= per_page <= max_page_size():
        raise ApiError(f"page must be from 1 to {MAX_PAGE} and per_page from 1 to "
                       f"{max_page_size()}.", 400)
    return page, per_page


def collection(query, rel: str, serialise, endpoint: str, **values) -> dict:
    page, per_page = page_args()
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
