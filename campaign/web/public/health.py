"""The health check that load balancers and monitoring ask."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from campaign.extensions import db
from campaign.mail.services import oldest_due_age, pending_count

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The database answers, and how much mail waits in the outbox."""
    try:
        db.session.execute(text("SELECT 1"))
        backlog = pending_count()
        oldest = oldest_due_age()
    except (OperationalError, DBAPIError):
        db.session.rollback()
        response = jsonify(status="unavailable", database="unreachable")
        response.status_code = 503
        return response
    response = jsonify(status="ok", database="ok", outbox_backlog=backlog,
                       outbox_oldest_seconds=oldest)
    response.headers["Cache-Control"] = "no-store"
    return response
