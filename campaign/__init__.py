"""The campaign application: create_app builds it from configuration, extensions and blueprints."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.routing import IntegerConverter

from campaign.config import DefaultConfig
from campaign.web.transactions import Application


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Application(
        __name__,
        instance_relative_config=True,
        template_folder=str(Path(__file__).resolve().parent.parent / "templates"),
    )
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CAMPAIGN")
    if test_config is not None:
        app.config.from_mapping(test_config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        database = Path(app.instance_path) / "campaign.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    _configure_secret_key(app)
    _configure_base_url(app)

    # Ids in addresses fit the database's integers; larger numbers are simply not found.
    app.url_map.converters["int"] = BoundedIntegerConverter
    from campaign import web
    from campaign.errors import register_error_handlers
    from campaign.web import limits

    limits.install(app)  # first: its check runs before any hook that reads a body
    _init_extensions(app)
    _connect_domains(app)
    _register_cli(app)
    _register_template_helpers(app)
    register_error_handlers(app)
    web.register(app)
    app.after_request(_security_headers)
    return app


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if "frame-ancestors 'none'" in headers["Content-Security-Policy"]:
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


class BoundedIntegerConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def in_development(app: Flask) -> bool:
    """The development server or CAMPAIGN_DEVELOPMENT=1 (make run): not production."""
    return app.debug or os.environ.get("CAMPAIGN_DEVELOPMENT") == "1"


def _configure_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.testing:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    if in_development(app):
        # The development server keeps a generated key so that sessions survive restarts.
        key_file = Path(app.instance_path) / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()
        return
    raise RuntimeError(
        "SECRET_KEY is not set. Set CAMPAIGN_SECRET_KEY in the environment or SECRET_KEY in "
        "instance/config.py (for development, set CAMPAIGN_DEVELOPMENT=1 to generate one)."
    )


# Where `make run` serves; development and tests link there unless BASE_URL says otherwise.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def _configure_base_url(app: Flask) -> None:
    """Every absolute link is built from BASE_URL, so production must say what it is."""
    base = app.config.get("BASE_URL")
    if not base:
        if app.testing or in_development(app):
            app.config["BASE_URL"] = DEVELOPMENT_BASE_URL
            return
        raise RuntimeError(
            "BASE_URL is not set. Set CAMPAIGN_BASE_URL to the site's public address (such as "
            "https://petitions.example.org): links in mail, embeds, share buttons and the API "
            "are built from it, never from the Host header a client sends.")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
            or parts.fragment:
        raise RuntimeError(f"BASE_URL must be an address such as https://petitions.example.org, "
                           f"not {base!r}.")
    app.config["BASE_URL"] = base.rstrip("/")


def _init_extensions(app: Flask) -> None:
    from campaign.database import install_sqlite_rules
    from campaign.extensions import babel, csrf, db, limiter, login_manager, migrate

    install_sqlite_rules()
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).resolve().parent.parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "workspace.signin.login"
    login_manager.login_message = None
    app.session_interface = _SessionInterface()
    babel.init_app(app, locale_selector=_select_locale)

    from campaign.accounts.models import User

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # "<user id>.<session version>": a session or remember cookie from before the last
        # logout or password reset names an older version, and no longer logs anyone in.
        user_id, _dot, version = session_id.partition(".")
        if not (user_id.isdigit() and version.isdigit()) or len(user_id) > 10:
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.session_version == int(version) else None


class _SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over HTTPS, and builds the
    cookie's signing serializer once per key rather than on every request."""

    def get_signing_serializer(self, app: Flask):
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializers = app.extensions.setdefault("campaign.session_serializers", {})
        if key not in serializers:
            serializers[key] = super().get_signing_serializer(app)
        return serializers[key]

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (
            has_request_context() and request.is_secure
        )


def _select_locale() -> str | None:
    from flask import current_app

    if not has_request_context():
        return None  # commands and workers use the default locale
    return request.accept_languages.best_match(current_app.config["LANGUAGES"])


def _connect_domains(app: Flask) -> None:
    """The domains' listeners and producers: webhooks hear of confirmed signatures, the mail
    worker asks the updates for their next batch."""
    from campaign.exports.webhooks import connect as connect_webhooks
    from campaign.signatures.producers import MAIL_PRODUCERS

    connect_webhooks()
    app.extensions.setdefault("campaign.mail_producers", []).extend(MAIL_PRODUCERS)


def _register_cli(app: Flask) -> None:
    from campaign.accounts.cli import orgs_cli, tokens_cli, users_cli
    from campaign.cases.cli import cases_cli
    from campaign.demo import demo_cli
    from campaign.legal.cli import legal_cli
    from campaign.letters.cli import letters_cli
    from campaign.mail.cli import mail_cli
    from campaign.signatures.cli import counts_cli, signatures_cli

    app.cli.add_command(orgs_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(letters_cli)
    app.cli.add_command(legal_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(counts_cli)
    app.cli.add_command(signatures_cli)
    app.cli.add_command(cases_cli)


def _flatten_errors(errors) -> list[str]:
    """The messages of a field, a subform or a list of subforms, as one flat list."""
    if isinstance(errors, dict):
        errors = list(errors.values())
    if not isinstance(errors, list | tuple):
        return [str(errors)]
    return [message for item in errors for message in _flatten_errors(item)]


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import format_date, format_decimal, get_locale

    from campaign.accounts.models import Role
    from campaign.geography import country_name, country_options
    from campaign.urls import external_url
    from campaign.web.pagecache import flashed_messages

    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["flashed_messages"] = flashed_messages
    app.jinja_env.globals["external_url"] = external_url
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["country_options"] = country_options
    app.jinja_env.filters["number"] = lambda value: format_decimal(value or 0)
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["flatten_errors"] = _flatten_errors
    app.jinja_env.filters["format_date"] = lambda value: format_date(value, "long") if value else ""
