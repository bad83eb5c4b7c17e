"""Running in production: the health check, the proxy setting, structured logs, and 503s
while the database is unreachable."""

from __future__ import annotations

import json
import logging
import re
import time

from flask import Blueprint, Flask, current_app, g, jsonify, request
from sqlalchemy import text
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from campaign.extensions import db

bp = Blueprint("ops", __name__)
log = logging.getLogger("campaign.requests")

# Anything that looks like an email address or one of our secrets never reaches a log line.
# Internationalised addresses too: any letters after the last dot.
EMAIL = re.compile(r"""[^\s@/<>"'(),;:\[\]]+@[^\s@/<>"'(),;:\[\]]+\.[^\W\d_]{2,}""")
SECRET_PATH = re.compile(r"/(confirm|withdraw|unsubscribe|reset-password|invitations|cosign|"
                         r"partners)/[^/?\s]+")
TOKEN = re.compile(r"cpn_[A-Za-z0-9_-]+")


def scrub(value: str) -> str:
    value = EMAIL.sub("[email]", value)
    value = SECRET_PATH.sub(lambda m: f"/{m.group(1)}/[token]", value)
    return TOKEN.sub("[token]", value)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with personal data and secrets scrubbed."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                 "level": record.levelname, "logger": record.name,
                 "message": scrub(record.getMessage())}
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                value = getattr(record, key)
                entry[key] = scrub(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["error"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry)


def configure_logging(app: Flask) -> None:
    if not app.config.get("LOG_JSON"):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))

    @app.before_request
    def _start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        started = g.get("request_started")
        log.info("request", extra={
            "method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None})
        return response


def configure_proxy(app: Flask) -> None:
    """Trust X-Forwarded-* only from as many proxies as configured (none by default), so that
    a client cannot choose the address the rate limits see."""
    hops = int(app.config.get("PROXY_COUNT", 0))
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def check_serving(app: Flask, workers: int) -> None:
    """Refuse to serve several worker processes whose rate limits each count alone: with
    memory:// every process keeps its own counts, and the limits multiply by the number of
    workers. Development may; production must share them (Redis)."""
    from campaign import in_development

    if not app.extensions.get("limiter") or not app.config.get("RATELIMIT_ENABLED", True):
        return  # an application without rate limits (such as the benchmarks' bare ones)
    storage = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if workers > 1 and storage.startswith("memory://") and not in_development(app):
        raise RuntimeError(
            f"{workers} workers would each keep their own rate limits (RATELIMIT_STORAGE_URI is "
            f"{storage}). Set CAMPAIGN_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (any "
            f"Redis all workers reach), or run one worker.")


def register_session_teardown(app: Flask) -> None:
    """End each request's database session before Flask-SQLAlchemy would, tolerating a
    connection the database has dropped (a restart): by then the view has answered and nothing
    was committed, so the answer must still go out rather than become a 500. The pool discards
    the broken connection and the next request connects afresh."""

    @app.teardown_appcontext  # runs before the teardowns registered earlier
    def close_session(_error):
        try:
            db.session.remove()
        except DBAPIError as error:
            db.session.registry.clear()
            current_app.logger.warning("database connection lost while closing a session: %s",
                                       type(error.orig).__name__)


def register_unavailable_handler(app: Flask) -> None:
    @app.errorhandler(DataError)
    def data_refused(error):
        # The database refused a value (too long, out of range, malformed): the input's fault,
        # not an outage, and nothing was saved.
        db.session.rollback()
        current_app.logger.warning("database refused a value: %s", type(error.orig).__name__)
        from campaign.errors import error_response

        return error_response(400, "Please check what you sent",
                              "Some of it cannot be stored as it is: a number too large, a text "
                              "too long, or a character that cannot be stored. Nothing was "
                              "saved.")

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error):
        db.session.rollback()
        current_app.logger.error("database unavailable: %s", type(error.orig).__name__)
        from campaign.errors import error_response

        response = error_response(503, "Temporarily unavailable",
                                  "The service is busy or restarting. Nothing was lost: please "
                                  "try again in a moment.")
        response = current_app.make_response(response)
        response.headers["Retry-After"] = "5"
        return response


@bp.get("/healthz")
def healthz():
    """The database answers, and how much mail waits in the outbox."""
    from campaign.mail.services import oldest_due_age, pending_count

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
