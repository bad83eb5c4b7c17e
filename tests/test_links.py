"""Every absolute link comes from BASE_URL, never from the Host or X-Forwarded-Host a client
sends; outside development the application refuses to start without it."""

import re

import pytest

from campaign import create_app
from campaign.accounts.models import TokenScope
from tests import factories
from tests.conftest import csrf_token_from, delivered_mail, link_in, login

BASE = "http://petitions.example.org"  # the tests' BASE_URL
SPOOFED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example",
           "X-Forwarded-Proto": "https"}


def _absolute_links(text: str) -> set[str]:
    return set(re.findall(r"https?://[^/\s\"'<>]+", text))


def test_mailed_links_ignore_the_host_the_signer_sent(app, client, petition):
    page = client.get(f"/p/{petition.slug}", headers=SPOOFED)
    client.post(f"/p/{petition.slug}/sign", headers=SPOOFED, data={
        "csrf_token": csrf_token_from(page.get_data(True)), "full_name": "Anna",
        "email": "anna@example.org", "country": "FR"})
    [message] = delivered_mail(app)
    assert link_in(message, "/confirm/").startswith(f"{BASE}/confirm/")
    assert _absolute_links(message.get_body(("plain",)).get_content()) == {BASE}


def test_the_embed_the_thank_you_page_and_partner_links_use_the_base_url(
        app, client, organisation, petition, editor):
    embed = client.get(f"/p/{petition.slug}/embed", headers=SPOOFED).get_data(as_text=True)
    assert f'href="{BASE}/p/{petition.slug}?source=embed#sign-heading"' in embed
    thanks = client.get(f"/p/{petition.slug}/thank-you", headers=SPOOFED)
    assert "evil.example" not in thanks.get_data(as_text=True)
    assert f"{BASE}/p/{petition.slug}" in thanks.get_data(as_text=True)
    login(client, editor)
    partners = client.get(f"/o/{organisation.slug}/petitions/{petition.id}/partners",
                          headers={"X-Forwarded-Host": "evil.example"})
    assert "evil.example" not in partners.get_data(as_text=True)


def test_api_links_use_the_base_url(app, client, organisation, petition):
    key = factories.create_api_key(organisation, TokenScope.READ)
    headers = {**SPOOFED, "OSDI-API-Token": key}
    for path in ("/api/v1/", "/api/v1/petitions", f"/api/v1/petitions/{petition.id}",
                 f"/api/v1/petitions/{petition.id}/signatures", "/api/v1/openapi.json",
                 "/api/v1/people"):
        body = client.get(path, headers=headers).get_data(as_text=True)
        hosts = _absolute_links(body) - {"http://opensupporter.org"}
        assert hosts == {BASE}, (path, hosts)


def test_the_application_refuses_to_start_without_base_url_outside_development(
        monkeypatch, tmp_path):
    for name in ("CAMPAIGN_BASE_URL", "CAMPAIGN_DEVELOPMENT"):
        monkeypatch.delenv(name, raising=False)
    config = {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"}
    with pytest.raises(RuntimeError, match="BASE_URL is not set"):
        create_app(config)
    with pytest.raises(RuntimeError, match="BASE_URL must be an address"):
        create_app({**config, "BASE_URL": "petitions.example.org"})
    app = create_app({**config, "BASE_URL": "https://petitions.example.org/"})
    assert app.config["BASE_URL"] == "https://petitions.example.org"
    monkeypatch.setenv("CAMPAIGN_DEVELOPMENT", "1")
    assert create_app(config).config["BASE_URL"] == "http://127.0.0.1:5000"
