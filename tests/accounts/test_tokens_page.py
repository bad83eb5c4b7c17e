"""Owners create API keys (shown once) and revoke them from the web."""

import re

from campaign.accounts.models import ApiToken
from campaign.extensions import db
from tests.conftest import csrf_token_from, login, post_form


def test_an_owner_creates_a_key_sees_it_once_and_revokes_it(client, organisation, owner):
    login(client, owner)
    path = f"/o/{organisation.slug}/tokens"
    page = post_form(client, path, {"scope": "write", "name": "CRM sync"}).get_data(True)
    raw = re.search(r'<code class="token">(cpn_[^<]+)</code>', page).group(1)
    assert client.get("/api/v1/petitions", headers={"OSDI-API-Token": raw}).status_code == 200
    listing = client.get(path).get_data(as_text=True)
    assert raw not in listing and "CRM sync" in listing
    token = db.session.scalar(db.select(ApiToken))
    client.post(f"{path}/{token.id}/revoke", data={"csrf_token": csrf_token_from(listing)})
    assert client.get("/api/v1/petitions", headers={"OSDI-API-Token": raw}).status_code == 401
