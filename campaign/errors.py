"""Domain errors and the handlers that turn every error into a clear HTML or JSON answer."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from campaign.extensions import db

log = logging.getLogger(__name__)


class CampaignError(Exception):
    """An error a user can cause and act on; `status` is the HTTP status it answers with."""

    status = 400

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class NotFound(CampaignError):
    status = 404


class Conflict(CampaignError):
    status = 409


class Gone(CampaignError):
    status = 410


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"
    ]


def error_response(status: int, title: str, message: str):
    if wants_json():
        return jsonify(error={"status": status, "title": title, "message": message}), status
    try:
        page = render_template("errors/error.html", status=status, title=title, message=message)
    except Exception:  # the error page itself must never turn a 4xx into a traceback
        log.exception("error page failed to render")
        return f"{title}\n\n{message}\n", status, {"Content-Type": "text/plain; charset=utf-8"}
    return page, status


NUL = "\x00"


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def refuse_nul_characters():
    """No text the application stores may hold U+0000 (PostgreSQL refuses it outright), so a
    request that carries one in its address, query, form or JSON body is refused up front with
    a message, rather than failing at the database. Uploaded files are left alone."""
    if NUL in request.path or b"%00" in request.query_string or _body_holds_nul():
        return error_response(400, _("Please try again"), _(
            "What was sent contains a NUL character (U+0000), which cannot be stored. Remove "
            "it and send it again."))
    return None


def _body_holds_nul() -> bool:
    if request.mimetype in FORM_TYPES:
        return _holds_nul(request.form.to_dict(flat=False))
    return request.is_json and _holds_nul(request.get_json(silent=True))


def register_error_handlers(app: Flask) -> None:
    app.before_request(refuse_nul_characters)

    @app.errorhandler(CampaignError)
    def handle_campaign_error(error: CampaignError):
        db.session.rollback()
        return error_response(error.status, _("Something needs your attention"), error.message)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError):
        return error_response(
            400,
            _("Please try again"),
            _(
                "The form was sent without its security token, or the token expired. "
                "Reload the page and send the form again."
            ),
        )

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        messages = {
            404: _("There is nothing at this address. Check the link, or start from the home "
                   "page."),
            405: _("This address does not accept that kind of request."),
            413: _("What was sent is larger than this address accepts. Send less, or split a "
                   "file into smaller ones."),
            429: _("Too many attempts from your network. Wait a few minutes and try again."),
        }
        titles = {
            400: _("Please try again"),
            404: _("Page not found"),
            405: _("Not allowed"),
            413: _("Too large"),
            429: _("Too many attempts"),
        }
        status = error.code or 500
        message = messages.get(status, error.description or "")
        return error_response(status, titles.get(status, error.name), message)

    @app.errorhandler(Exception)
    def handle_unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return handle_http_error(error)
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(
            500,
            _("Something went wrong"),
            _("Nothing was saved. Please try again in a moment."),
        )
