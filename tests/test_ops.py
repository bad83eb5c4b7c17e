"""Operating the service: health, 503 while the database is away, the proxy setting, logs
without personal data, and retention."""

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import text

from campaign.extensions import db
from campaign.logs import JsonFormatter, scrub
from campaign.mail.services import queue_message
from campaign.petitions.services import close_petition
from campaign.signatures.counters import counts_by, find_drift, signature_count
from campaign.signatures.models import CountDimension, Signature
from campaign.types import utcnow
from tests import factories
from tests.conftest import make_app, on_postgres, sign


def test_health_reports_the_database_and_the_outbox_backlog(client, app):
    queue_message(kind="test", recipient="a@example.org", subject="s", text_body="b")
    db.session.commit()
    data = client.get("/healthz").json
    assert data["status"] == "ok" and data["database"] == "ok"
    assert data["outbox_backlog"] == 1
    assert data["outbox_oldest_seconds"] >= 0


def test_pages_answer_503_while_the_database_is_unreachable(tmp_path):
    # An application whose database listens nowhere (port 1 on loopback refuses at once).
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/x")
    client = app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json["database"] == "unreachable"
    page = client.get("/")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    assert b"try again in a moment" in page.data


@pytest.mark.skipif(not on_postgres(), reason="a database server that drops connections")
def test_a_connection_dropped_after_the_answer_does_not_turn_it_into_a_500(app_factory):
    """A database restart can end a request's connection after its view has answered; the
    answer still goes out, and the next request is served on a new connection."""
    app = app_factory()

    @app.after_request
    def end_this_requests_connection(response):
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return response

    with app.app_context():
        slug = factories.create_open_petition(factories.create_organisation()).slug
        db.session.commit()
    client = app.test_client()  # no application context held: each request ends its own
    for _ in range(2):
        response = client.get(f"/p/{slug}.json")
        assert response.status_code == 200
        assert response.json["slug"] == slug


@pytest.mark.skipif(not on_postgres(), reason="PostgreSQL refuses the value")
def test_a_value_the_database_refuses_is_a_400_not_an_outage(app_factory):
    app = app_factory()

    @app.get("/test-refused-value")
    def refused_value():
        db.session.execute(text("SELECT CAST('not a number' AS integer)"))
        return "unreachable"

    response = app.test_client().get("/test-refused-value", headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert b"cannot be stored as it is" in response.data


def test_forwarded_addresses_are_ignored_unless_proxies_are_configured(app_factory):
    for proxies, expected in ((0, [303, 303, 429]), (1, [303, 303, 303])):
        app = app_factory(RATELIMIT_ENABLED=True, SIGN_RATE_LIMIT="2 per minute",
                          PROXY_COUNT=proxies)
        with app.app_context():
            petition = factories.create_open_petition(factories.create_organisation())
            client = app.test_client()
            statuses = []
            for n in range(3):
                client.environ_base["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{n}"
                statuses.append(sign(client, petition.slug, email=f"p{n}@example.org")
                                .status_code)
            assert statuses == expected, proxies


def test_log_lines_are_json_and_carry_no_email_or_secret():
    record = logging.LogRecord("campaign", logging.INFO, __file__, 1,
                               "sent to anna@example.org via /confirm/AbCdEf123 with cpn_xyz",
                               None, None)
    record.path = "/withdraw/SECRET123"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "sent to [email] via /confirm/[token] with [token]"
    assert line["path"] == "/withdraw/[token]"
    assert scrub("/p/release?source=x") == "/p/release?source=x"


def test_anonymise_erases_personal_data_after_the_retention_period_and_keeps_counts(
    app, runner, organisation
):
    old = factories.create_open_petition(organisation)
    recent = factories.create_open_petition(organisation)
    factories.create_signers(old, 3, contact_ok=True, country="AM")
    factories.create_signers(recent, 2, start=10)
    close_petition(old, when=utcnow() - timedelta(days=400))
    close_petition(recent, when=utcnow() - timedelta(days=30))
    db.session.commit()
    before = counts_by(old.id, CountDimension.COUNTRY)

    dry = runner.invoke(args=["signatures", "anonymise", "--months", "12", "--dry-run"])
    assert old.slug in dry.output and recent.slug not in dry.output
    result = runner.invoke(args=["signatures", "anonymise", "--months", "12"])
    assert result.exit_code == 0, result.output
    assert "anonymised 3 signatures" in result.output
    db.session.rollback()
    erased = db.session.scalars(db.select(Signature).where(Signature.petition_id == old.id)).all()
    assert all(s.full_name == "" and s.email == "" and not s.contact_ok and s.anonymised_at
               for s in erased)
    assert all("@" not in s.email_normalised for s in erased)
    assert {s.country for s in erased} == {"AM"}
    kept = db.session.scalars(db.select(Signature).where(Signature.petition_id == recent.id))
    assert all(s.email for s in kept)
    assert signature_count(old.id) == 3
    assert counts_by(old.id, CountDimension.COUNTRY) == before
    assert find_drift([old.id]) == []
    again = runner.invoke(args=["signatures", "anonymise", "--months", "12"])
    assert "anonymised 0 signatures" in again.output


def test_hsts_is_sent_over_https_only_and_pages_carry_no_inline_script(client, petition):
    secure = client.get(f"/p/{petition.slug}", base_url="https://petitions.example.org")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = client.get(f"/p/{petition.slug}")
    assert "Strict-Transport-Security" not in plain.headers
    policy = plain.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script" not in plain.get_data(as_text=True)


def test_make_serve_binds_to_loopback_with_workers_from_the_processor_count():
    import importlib.util
    import multiprocessing
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", Path(__file__).resolve().parent.parent / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert conf.bind.startswith("127.0.0.1:")
    assert conf.workers == multiprocessing.cpu_count() * 2 + 1
