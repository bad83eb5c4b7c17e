"""JSON Schemas of the API's resources, used by the OpenAPI document."""

from __future__ import annotations

NULLABLE_STRING = {"type": ["string", "null"]}
DATE_TIME = {"type": "string", "format": "date-time"}
LINK = {"type": "object", "properties": {"href": {"type": "string"}}, "required": ["href"]}
LINKS = {"type": "object", "additionalProperties": {"oneOf": [LINK, {"type": "array"}]}}

TARGET = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "title": NULLABLE_STRING,
                   "organization": NULLABLE_STRING},
    "required": ["name"],
}

OUTCOME = {"oneOf": [{"type": "null"}, {
    "type": "object", "properties": {"date": {"type": "string", "format": "date"},
                                     "note": NULLABLE_STRING}, "required": ["date"]}]}

PETITION = {
    "type": "object",
    "properties": {
        "identifiers": {"type": "array", "items": {"type": "string"}},
        "origin_system": {"type": "string"},
        "created_date": DATE_TIME, "modified_date": DATE_TIME,
        "name": {"type": "string"}, "title": {"type": "string"},
        "summary": {"type": "string"}, "description": {"type": "string"},
        "petition_text": {"type": "string"}, "browser_url": {"type": "string"},
        "total_signatures": {"type": "integer", "minimum": 0},
        "target": {"type": "array", "items": TARGET},
        "campaign:goal": {"type": ["integer", "null"]},
        "campaign:next_goal": {"type": ["integer", "null"]},
        "campaign:state": {"type": "string", "enum": ["draft", "open", "closed"]},
        "campaign:closed_date": {"type": ["string", "null"], "format": "date-time"},
        "campaign:delivered": OUTCOME, "campaign:won": OUTCOME,
        "_links": LINKS,
    },
    "required": ["identifiers", "title", "total_signatures", "_links"],
}

PETITION_INPUT = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "name": {"type": "string", "maxLength": 80},
        "summary": {"type": "string", "maxLength": 500},
        "description": {"type": "string", "maxLength": 50000},
        "target": {"type": "array", "maxItems": 50, "items": {
            "type": "object",
            "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 200},
                           "title": {"type": "string", "maxLength": 200},
                           "organization": {"type": "string", "maxLength": 200}},
            "required": ["name"]}},
        "campaign:goal": {"type": ["integer", "null"], "minimum": 1, "maximum": 1000000000},
        "campaign:state": {"type": "string", "enum": ["draft", "open", "closed"]},
    },
}

SIGNATURE = {
    "type": "object",
    "properties": {
        "identifiers": {"type": "array", "items": {"type": "string"}},
        "origin_system": {"type": "string"},
        "created_date": DATE_TIME, "modified_date": DATE_TIME,
        "action_date": {"type": ["string", "null"], "format": "date-time"},
        "comments": NULLABLE_STRING,
        "referrer_data": {"type": "object"},
        "campaign:status": {"type": "string",
                            "enum": ["pending", "confirmed", "invalidated", "withdrawn"]},
        "_links": LINKS,
    },
    "required": ["identifiers", "created_date", "modified_date", "_links"],
}

PERSON = {
    "type": "object",
    "properties": {
        "identifiers": {"type": "array", "items": {"type": "string"}},
        "given_name": {"type": "string"}, "family_name": {"type": "string"},
        "email_addresses": {"type": "array", "items": {"type": "object"}},
        "postal_addresses": {"type": "array", "items": {"type": "object"}},
        "languages_spoken": {"type": "array", "items": {"type": "string"}},
        "_links": LINKS,
    },
    "required": ["identifiers", "_links"],
}

RECORD_SIGNATURE = {
    "type": "object",
    "properties": {
        "person": {
            "type": "object",
            "properties": {
                "given_name": {"type": "string", "maxLength": 60},
                "family_name": {"type": "string", "maxLength": 60},
                "email_addresses": {"type": "array", "items": {
                    "type": "object", "properties": {"address": {"type": "string"}}}},
                "postal_addresses": {"type": "array", "items": {
                    "type": "object", "properties": {
                        "country": {"type": "string"}, "locality": {"type": "string"},
                        "postal_code": {"type": "string"}}}},
            },
        },
        "comments": {"type": "string", "maxLength": 500},
        "action_date": {"type": "string", "format": "date-time"},
        "referrer_data": {"type": "object", "properties": {"source": {"type": "string"}}},
    },
    "required": ["person"],
}


def collection(item: dict, rel: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "total_pages": {"type": "integer"}, "per_page": {"type": "integer"},
            "page": {"type": "integer"}, "total_records": {"type": "integer"},
            "_embedded": {"type": "object", "properties": {rel: {"type": "array",
                                                                 "items": item}},
                          "required": [rel]},
            "_links": LINKS,
        },
        "required": ["total_pages", "per_page", "page", "total_records", "_embedded", "_links"],
    }


AEP = {
    "type": "object",
    "properties": {
        "motd": {"type": "string"}, "max_pagesize": {"type": "integer"},
        "osdi_version": {"type": "string"}, "vendor_name": {"type": "string"},
        "product_name": {"type": "string"}, "namespace": {"type": "string"},
        "_links": LINKS,
    },
    "required": ["osdi_version", "_links"],
}

EMPTY = {"type": "object", "maxProperties": 0}

ERROR = {
    "type": "object",
    "properties": {"error": {"type": "object", "properties": {
        "status": {"type": "integer"}, "title": {"type": "string"},
        "message": {"type": "string"}}}},
    "required": ["error"],
}
