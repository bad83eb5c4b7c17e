"""The API's declaration layer: a resource is declared once, as a list of fields, and that one
declaration validates input (into the change set the services take), serialises output and
writes the JSON Schemas of the OpenAPI document, so that the three cannot disagree.

A field has a JSON name and a type; `dump` reads it from a record (output), `change` names the
key of the change set it fills (input), and `convert` turns the validated value into what the
service takes. A field without `dump` is input only, one without `change` output only. A body
that leaves a field out leaves it unchanged: `load` returns only the fields sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from campaign.errors import CampaignError


class Invalid(CampaignError):
    """Input that does not fit the declaration; the message names the field."""


class Type:
    """What a value is: its JSON Schema, and how input is checked."""

    def __init__(self, *, nullable: bool = False, description: str | None = None):
        self.nullable = nullable
        self.description = description

    def json_schema(self) -> dict:
        schema = self._schema()
        if self.nullable:
            kind = schema.get("type")
            if isinstance(kind, str):
                schema["type"] = [kind, "null"]
            else:
                schema = {"oneOf": [{"type": "null"}, schema]}
        if self.description:
            schema["description"] = self.description
        return schema

    def load(self, value: Any, name: str) -> Any:
        if value is None and self.nullable:
            return None
        return self._load(value, name)

    def _schema(self) -> dict:
        raise NotImplementedError

    def _load(self, value: Any, name: str) -> Any:
        raise Invalid(f"{name} cannot be sent.")


class Text(Type):
    def __init__(self, *, min_length: int = 0, max_length: int | None = None,
                 fmt: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.min_length, self.max_length, self.fmt = min_length, max_length, fmt

    def _schema(self) -> dict:
        schema: dict = {"type": "string"}
        if self.min_length:
            schema["minLength"] = self.min_length
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.fmt:
            schema["format"] = self.fmt
        return schema

    def _load(self, value: Any, name: str) -> str:
        if not isinstance(value, str) or len(value) < self.min_length or (
                self.max_length is not None and len(value) > self.max_length):
            bounds = ""
            if self.max_length is not None:
                least = f"{self.min_length} to " if self.min_length else "at most "
                bounds = f" of {least}{self.max_length} characters"
            raise Invalid(f"{name} must be text{bounds}.")
        return value


class Integer(Type):
    def __init__(self, *, minimum: int | None = None, maximum: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def _schema(self) -> dict:
        schema: dict = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema

    def _load(self, value: Any, name: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or (
                self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum):
            low = f" from {self.minimum}" if self.minimum is not None else ""
            raise Invalid(f"{name} must be a whole number{low}"
                          f"{', or null' if self.nullable else ''}.")
        return value


class Choice(Type):
    def __init__(self, values: Sequence[str], **kwargs):
        super().__init__(**kwargs)
        self.values = tuple(values)

    def _schema(self) -> dict:
        return {"type": "string", "enum": list(self.values)}

    def _load(self, value: Any, name: str) -> str:
        if value not in self.values:
            raise Invalid(f"{name} must be one of {', '.join(self.values)}.")
        return value


class Moment(Type):
    """A date and time (or a date) in ISO 8601; output only."""

    def __init__(self, *, day: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.day = day

    def _schema(self) -> dict:
        return {"type": "string", "format": "date" if self.day else "date-time"}


class Anything(Type):
    def __init__(self, schema: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.schema = schema or {}

    def _schema(self) -> dict:
        return dict(self.schema)

    def _load(self, value: Any, name: str) -> Any:
        return value


class Object(Type):
    """A JSON object of named parts; parts not sent are left out of what `load` returns."""

    def __init__(self, parts: Mapping[str, Type], *, required: Sequence[str] = (),
                 message: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.parts, self.required, self.message = dict(parts), tuple(required), message

    def _schema(self) -> dict:
        schema = {"type": "object",
                  "properties": {key: part.json_schema() for key, part in self.parts.items()}}
        if self.required:
            schema["required"] = list(self.required)
        return schema

    def _load(self, value: Any, name: str) -> dict:
        if not isinstance(value, dict) or any(key not in value for key in self.required):
            raise Invalid(self.message or f"{name} must be an object with "
                          f"{', '.join(self.required or self.parts)}.")
        return {key: part.load(value[key], f"{name}.{key}") for key, part in self.parts.items()
                if key in value}


class List(Type):
    def __init__(self, items: Type, *, max_items: int | None = None, noun: str = "items",
                 **kwargs):
        super().__init__(**kwargs)
        self.items, self.max_items, self.noun = items, max_items, noun

    def _schema(self) -> dict:
        schema = {"type": "array", "items": self.items.json_schema()}
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return schema

    def _load(self, value: Any, name: str) -> list:
        if not isinstance(value, list) or (self.max_items is not None
                                           and len(value) > self.max_items):
            most = f" of at most {self.max_items}" if self.max_items is not None else " of"
            raise Invalid(f"{name} must be a list{most} {self.noun}.")
        return [self.items.load(item, f"{name}[{index}]") for index, item in enumerate(value)]


LINK = Object({"href": Text()}, required=["href"])
LINKS = Anything({"type": "object", "additionalProperties": {
    "oneOf": [LINK.json_schema(), {"type": "array"}]}})


@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    dump: Callable[..., Any] | None = None
    change: str | None = None
    convert: Callable[[Any], Any] | None = None
    required: bool = False  # always present in output
    shown_as: Type | None = None  # the output's type, where it differs from the input's
    column: Any = None  # the database column a filter or an order on this field reads

    def __post_init__(self):
        if self.dump is None and self.column is not None:
            object.__setattr__(self, "dump", attribute(self.column.key))

    def load(self, value: Any) -> Any:
        value = self.type.load(value, self.name)
        return self.convert(value) if self.convert is not None else value


class Resource:
    """One resource of the API, declared once."""

    def __init__(self, name: str, fields: Sequence[Field]):
        self.name = name
        self.fields = list(fields)

    def dump(self, record, **context) -> dict:
        """The record as the API shows it; `context` carries what the record does not hold
        (such as a count read in bulk)."""
        return {f.name: f.dump(record, **context) for f in self.fields if f.dump is not None}

    def load(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The change set of a body: the fields it sends, validated and converted, under the
        names the services take. Fields left out are left out."""
        return {f.change: f.load(data[f.name]) for f in self.fields
                if f.change is not None and f.name in data}

    def columns(self) -> dict[str, Any]:
        """The fields a query may filter or order on, with their columns."""
        return {f.name: f.column for f in self.fields if f.column is not None}

    def output_schema(self) -> dict:
        shown = [f for f in self.fields if f.dump is not None]
        return {"type": "object",
                "properties": {f.name: (f.shown_as or f.type).json_schema() for f in shown},
                "required": [f.name for f in shown if f.required]}

    def input_schema(self, *, required: Sequence[str] = ()) -> dict:
        schema = {"type": "object",
                  "properties": {f.name: f.type.json_schema() for f in self.fields
                                 if f.change is not None}}
        if required:
            schema["required"] = list(required)
        return schema


def attribute(name: str) -> Callable[..., Any]:
    """Read `name` from the record; dates and times as ISO 8601 (UTC written Z)."""

    def read(record, **_context):
        return iso(getattr(record, name))

    return read


def iso(value):
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value
