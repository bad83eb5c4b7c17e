"""Bounds on what one request may carry: its body, its form fields and the depth of its JSON.
A request past a bound is answered 413 (or 400 for JSON nested too deep) before anything
parses it, so that no client can make a worker spend its memory or time for everyone else."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Request, abort, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

MAX_JSON_DEPTH = 32


class FormParser(FormDataParser):
    """Werkzeug's parser, with the field count and field size bounds that it applies to
    multipart forms applied to url-encoded ones too."""

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        body = stream.read()
        if self.max_form_parts is not None and body.count(b"&") >= self.max_form_parts:
            raise RequestEntityTooLarge()
        stream, form, files = super()._parse_urlencoded(
            _Replay(body), mimetype, content_length, options)
        limit = self.max_form_memory_size
        if limit is not None and any(len(value) > limit for value in form.values()):
            raise RequestEntityTooLarge()
        return stream, form, files


class _Replay:
    """A body already read, handed to the parser again."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def read(self, *args) -> bytes:
        body, self.body = self.body, b""
        return body


class JsonTooDeep(BadRequest):
    pass


class CampaignRequest(Request):
    form_data_parser_class = FormParser

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        """The parsed JSON body; JSON nested deeper than MAX_JSON_DEPTH is refused with 400
        even when `silent`, since it is not malformed but too much."""
        try:
            data = super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            raise JsonTooDeep(_json_too_deep()) from None
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise JsonTooDeep(_json_too_deep())
        return data


def _json_too_deep() -> str:
    return _("The JSON is nested more than %(n)s levels deep; send a flatter document.",
             n=MAX_JSON_DEPTH)


def _depth_exceeds(value, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` deep (without recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children
                       if isinstance(child, dict | list))
    return False


def accepts_large_body(config_key: str) -> Callable:
    """Let a view take a body up to the size in `config_key` instead of MAX_CONTENT_LENGTH
    (and fields as large, for a file pasted into a form)."""

    def decorator(view: Callable) -> Callable:
        view.body_limit_key = config_key
        return view

    return decorator


def refuse_oversized_bodies() -> None:
    """Before any other hook (the CSRF check reads the form): refuse a body that declares
    itself larger than this address accepts. A body that does not declare its length is cut
    off at the same size while it is read."""
    view = current_app.view_functions.get(request.endpoint or "")
    key = getattr(view, "body_limit_key", None)
    if key is not None:
        request.max_content_length = current_app.config[key]
        request.max_form_memory_size = current_app.config[key]
    limit = request.max_content_length
    if limit is not None and request.content_length is not None \
            and request.content_length > limit:
        abort(413)


def install(app: Flask) -> None:
    app.request_class = CampaignRequest
    app.before_request(refuse_oversized_bodies)
