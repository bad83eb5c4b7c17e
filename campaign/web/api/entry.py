"""The API's entry point and its OpenAPI document, generated from the declared operations."""

from __future__ import annotations

from campaign.urls import external_url
from campaign.web.api.operations import HAL, OPERATIONS, bp, hal, max_page_size, operation
from campaign.web.api.resources import ENTRY_POINT, ERROR


@operation("/", "GET", "The entry point: links to every collection.", scope=None,
           response=ENTRY_POINT.output_schema())
def entry_point():
    """List what the API offers."""
    return hal(ENTRY_POINT.dump(None, max_pagesize=max_page_size()))


def _responses(op) -> dict:
    responses = {str(op.status): {"description": "Success",
                                  "content": {HAL: {"schema": op.response}}}}
    errors = {"400": "The request is not valid", "404": "Not found",
              "415": "Not JSON", "429": "Too many requests"}
    if op.scope is not None and not op.optional_auth:
        errors["401"] = "No valid API key"
    if op.scope is not None:
        errors["403"] = "The key may not do this"
    if op.method in ("post", "put"):
        errors["409"] = "Conflicts with the current state"
    for status, description in errors.items():
        responses[status] = {"description": description,
                             "content": {"application/json": {"schema": ERROR}}}
    return responses


def document() -> dict:
    paths: dict = {}
    for op in OPERATIONS:
        entry = {"operationId": op.endpoint, "summary": op.summary,
                 "parameters": op.parameters, "responses": _responses(op)}
        if op.scope is not None:
            entry["security"] = ([{}] if op.optional_auth else []) + [{"osdiToken": []},
                                                                      {"bearer": []}]
        else:
            entry["security"] = []
        if op.request_body is not None:
            entry["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": op.request_body}}}
        paths.setdefault(op.path, {})[op.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "Campaign API (OSDI)", "version": "1.0",
                 "description": "Petitions, signatures and signers in OSDI (HAL+JSON) form. "
                                "Send the key in OSDI-API-Token or as a Bearer token."},
        "servers": [{"url": external_url("api.entry_point").rstrip("/")}],
        "paths": paths,
        "components": {"securitySchemes": {
            "osdiToken": {"type": "apiKey", "in": "header", "name": "OSDI-API-Token"},
            "bearer": {"type": "http", "scheme": "bearer"},
        }},
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API, generated from the declared operations."""
    return hal(document(), 200)

