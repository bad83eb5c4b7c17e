"""The application factory, configuration and error handling."""

import pytest

from campaign import create_app
from campaign.extensions import db


def test_configuration_comes_from_campaign_environment_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMPAIGN_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("CAMPAIGN_MAIL_BACKEND", "memory")
    monkeypatch.setenv("CAMPAIGN_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("CAMPAIGN_BASE_URL", "https://petitions.example.org")
    monkeypatch.setenv("CAMPAIGN_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'x.db'}")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["MAIL_BACKEND"] == "memory"
    assert app.config["RATELIMIT_ENABLED"] is False


def test_the_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("CAMPAIGN_SQLALCHEMY_DATABASE_URI", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/campaign.sqlite3")


def test_a_secret_key_is_required_outside_development_and_tests(monkeypatch):
    monkeypatch.delenv("CAMPAIGN_SECRET_KEY", raising=False)
    monkeypatch.delenv("CAMPAIGN_DEVELOPMENT", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_an_unexpected_error_is_a_plain_500_page_without_a_traceback(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise ZeroDivisionError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Nothing was saved" in response.data
    assert b"secret internals" not in response.data
    assert b"Traceback" not in response.data


def test_unknown_addresses_get_a_404_page_with_a_way_home(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert b"Go to the list of petitions" in response.data


def test_a_wrong_method_is_a_405(client, petition):
    assert client.delete(f"/p/{petition.slug}").status_code == 405
