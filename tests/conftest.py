"""Fixtures: a fresh application and database per test, on SQLite or on the PostgreSQL server
named by CAMPAIGN_TEST_DATABASE_URI."""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import text

from campaign import create_app
from campaign.extensions import db
from campaign.mail.backends import get_backend
from campaign.mail.delivery import drain_outbox
from tests import factories

POSTGRES_URI = os.environ.get("CAMPAIGN_TEST_DATABASE_URI")


def on_postgres() -> bool:
    return bool(POSTGRES_URI)


def make_app(tmp_path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": POSTGRES_URI or f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "MAIL_BACKEND": "memory",
        "MAIL_DEFAULT_SENDER": "Petitions <no-reply@petitions.example.org>",
        "RATELIMIT_ENABLED": False,
        "BASE_URL": "http://petitions.example.org",
        "SQLITE_IMMEDIATE_OUTSIDE_REQUESTS": False,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "PAGE_RENDER_CACHE_SECONDS": 0,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def _postgres_schema(tmp_path_factory):
    """On PostgreSQL, build the schema once per run; each test then empties the tables."""
    if not on_postgres():
        yield
        return
    app = make_app(tmp_path_factory.mktemp("pg"))
    with app.app_context():
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    yield


def _empty_postgres_tables() -> None:
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def app_factory(tmp_path, _postgres_schema):
    """Build an application with extra configuration; its database starts empty."""
    apps = []

    def build(**overrides):
        app = make_app(tmp_path, **overrides)
        with app.app_context():
            if on_postgres():
                _empty_postgres_tables()
            else:
                db.create_all()
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            if on_postgres():
                _empty_postgres_tables()
            db.engine.dispose()


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""
    from tests.mail.smtp_server import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_app(app_factory, smtp_server):
    """An application that mails through `smtp_server`."""
    app = app_factory(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def organisation(app):
    return factories.create_organisation()


@pytest.fixture
def petition(app, organisation):
    """An open petition with two addressees, committed."""
    return factories.create_open_petition(organisation)


class Browser:
    """A test client whose every request runs in an application context of its own, as
    requests do in production (nothing a request keeps in `g` leaks into the next)."""

    def __init__(self, app):
        self.app, self.client = app, app.test_client()

    def get(self, path, **kwargs):
        return self.post(path, method="GET", **kwargs)

    def session_transaction(self):
        return self.client.session_transaction()

    def post(self, path, method="POST", **kwargs):
        with self.app.app_context():
            response = self.client.open(path, method=method, **kwargs)
            response.get_data()  # a streamed answer is read while its context is there
            response.close()
            return response


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "the page has no CSRF token"
    return match.group(1)


def csrf_token_for(app, client, path: str) -> str:
    """The CSRF token of `client`'s own session; a fresh app context keeps Flask-WTF's cached
    token of another client (in `g`) out of the way."""
    with app.app_context():
        return csrf_token_from(client.get(path).get_data(as_text=True))


def sign(client, slug: str, follow_redirects: bool = False, **fields):
    """Open the petition page and submit its form, as a browser would."""
    page = client.get(f"/p/{slug}")
    data = {
        "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        "full_name": "Anna Petrosyan",
        "email": "anna@example.org",
        "country": "FR",
    }
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(f"/p/{slug}/sign", data=data, follow_redirects=follow_redirects)


def delivered_mail(app) -> list:
    """Send what the outbox holds and return every message the memory backend received."""
    db.session.commit()  # end the test's own snapshot, so that other sessions' mail is seen
    drain_outbox()
    return get_backend(app).sent


def link_in(message, path: str) -> str:
    body = message.get_body(("plain",)).get_content()
    match = re.search(rf"https?://\S+{path}\S+", body)
    assert match, f"no {path} link in:\n{body}"
    return match.group(0)


def relative(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def login(client, user, password: str = factories.PASSWORD):
    html = client.get("/login").get_data(as_text=True)
    data = {"email": user.email, "password": password}
    if "csrf_token" in html:  # absent where a test turned CSRF off
        data["csrf_token"] = csrf_token_from(html)
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def post_form(client, path: str, data: dict | None = None, form_page: str | None = None):
    """POST to `path` with the CSRF token of `form_page` (or of `path` itself)."""
    page = client.get(form_page or path)
    fields = {"csrf_token": csrf_token_from(page.get_data(as_text=True))}
    fields.update(data or {})
    return client.post(path, data=fields)


@pytest.fixture
def owner(app, organisation):
    from campaign.accounts.models import Role

    return factories.create_member(organisation, Role.OWNER)


@pytest.fixture
def editor(app, organisation):
    from campaign.accounts.models import Role

    return factories.create_member(organisation, Role.EDITOR)


@pytest.fixture
def viewer(app, organisation):
    from campaign.accounts.models import Role

    return factories.create_member(organisation, Role.VIEWER)
