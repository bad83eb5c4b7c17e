"""API operations declared once: the blueprint serves them and the OpenAPI document is
generated from the same declarations; keys are checked here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from flask import Blueprint, Response, current_app, g, json, request

from campaign.accounts.models import TokenScope
from campaign.accounts.tokens import find_active_token
from campaign.errors import CampaignError
from campaign.extensions import csrf, db
from campaign.petitions.models import Petition

HAL = "application/hal+json"

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # API clients authenticate with a token, never with a cookie


class ApiError(CampaignError):
    pass


@dataclass
class Operation:
    path: str  # OpenAPI style: /petitions/{petition_id}
    method: str
    summary: str
    scope: TokenScope | None  # None: no token needed
    response: dict
    status: int = 200
    request_body: dict | None = None
    parameters: list[dict] = field(default_factory=list)
    optional_auth: bool = False
    endpoint: str = ""


OPERATIONS: list[Operation] = []


def _flask_path(path: str) -> str:
    return path.replace("{petition_id}", "<int:petition_id>").replace(
        "{signature_id}", "<int:signature_id>").replace("{person_id}", "<int:person_id>")


def hal(data: dict, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype=HAL)


def presented_token() -> str | None:
    """The token sent in the OSDI-API-Token header or as an Authorization bearer."""
    header = request.headers.get("OSDI-API-Token")
    if header:
        return header.strip()
    authorization = request.headers.get("Authorization", "")
    scheme, _space, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def authenticate(scope: TokenScope | None, optional: bool = False) -> None:
    """Set g.api_organisation from the token, or refuse with 401/403."""
    g.api_token = g.api_organisation = None
    raw = presented_token()
    if raw is None:
        if scope is None or optional:
            return
        raise ApiError("Send an API key in the OSDI-API-Token header (or as a Bearer token).",
                       401)
    token = find_active_token(raw)
    if token is None:
        raise ApiError("This API key is not valid or has been revoked.", 401)
    if scope == TokenScope.WRITE and token.scope != TokenScope.WRITE:
        raise ApiError("This API key may only read; a write key is needed.", 403)
    g.api_token = token
    g.api_organisation = token.organisation


def operation(path: str, method: str, summary: str, *, scope: TokenScope | None,
              response: dict, status: int = 200, request_body: dict | None = None,
              parameters: list[dict] | None = None, optional_auth: bool = False) -> Callable:
    def decorator(view: Callable) -> Callable:
        op = Operation(path, method.lower(), summary, scope, response, status, request_body,
                       parameters or [], optional_auth, endpoint=view.__name__)

        @wraps(view)
        def wrapped(*args, **kwargs):
            authenticate(scope, optional_auth)  # records the key's use, committed with the rest
            return view(*args, **kwargs)

        bp.add_url_rule(_flask_path(path), view.__name__, wrapped, methods=[method.upper()])
        OPERATIONS.append(op)
        return wrapped

    return decorator


def json_body() -> dict:
    if not request.is_json:
        raise ApiError("Send a JSON body with Content-Type: application/json.", 415)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError("The body must be a JSON object.", 400)
    if not _encodable(data):
        raise ApiError("The body contains text that is not valid Unicode.", 400)
    return data


def _encodable(value) -> bool:
    """JSON may carry lone surrogates, which no database can store as UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_encodable(k) and _encodable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_encodable(v) for v in value)
    return True


def max_page_size() -> int:
    return int(current_app.config.get("API_MAX_PAGE_SIZE", 100))


def organisation_petition(petition_id: int) -> Petition:
    petition = db.session.scalar(db.select(Petition).where(
        Petition.id == petition_id, Petition.organisation_id == g.api_organisation.id))
    if petition is None:
        raise ApiError("No petition of your organisation has this id.", 404)
    return petition
