"""Authorisation in one place, proven route by route: for every organiser route, a visitor
who is not logged in goes to the login page, a member of another organisation gets 404, and
each role gets exactly what it may."""

import pytest

from campaign import create_app
from campaign.accounts.models import Membership, Role
from campaign.extensions import db
from campaign.signatures.management import SignatureFilter, invalidate
from tests import factories
from tests.conftest import login


def _organiser_routes():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        needed = getattr(view, "needed_role", None)
        if needed is None:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append(pytest.param(rule.rule, method, needed, id=f"{method} {rule.rule}"))
    return routes


ROUTES = _organiser_routes()


def test_every_organiser_route_goes_through_the_access_check():
    from campaign import create_app as make

    app = make({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    unguarded = [
        rule.rule for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/o/<") and
        not hasattr(app.view_functions[rule.endpoint], "needed_role")
    ]
    assert unguarded == []
    assert len(ROUTES) >= 15


@pytest.fixture
def world(app_factory):
    """Organisation A with a petition, a signature and an invalidation; organisation B."""
    app = app_factory(WTF_CSRF_ENABLED=False, WEBHOOK_ALLOW_PRIVATE=True)
    with app.app_context():
        org_a = factories.create_organisation()
        org_b = factories.create_organisation()
        petition = factories.create_open_petition(org_a)
        factories.create_signature(petition, name="S", email="s@example.org")
        inv = invalidate(petition, SignatureFilter(country="FR"), "test", None)

        letter = factories.create_letter(org_a)
        from datetime import date

        from campaign.letters.services import record_delivery

        delivery = record_delivery(letter, channel="post", sent_on=date(2026, 1, 5),
                                   reference=None, response_on=None, response_summary=None,
                                   follow_up_on=None)
        users = {role: factories.create_member(org_a, role) for role in Role}
        users["outsider"] = factories.create_member(org_b, Role.OWNER)
        target = db.session.scalar(db.select(Membership.id).where(
            Membership.user_id == users[Role.VIEWER].id))
        db.session.commit()
        from campaign.accounts.models import TokenScope
        from campaign.accounts.tokens import create_token
        from campaign.exports.webhooks import create_webhook

        hook = create_webhook(org_a.id, "https://127.0.0.1/a", ["signature.confirmed"])
        token, _raw = create_token(org_a, TokenScope.READ)
        dead = factories.create_undelivered_webhook_message(org_a, hook.url, "refused").id
        values = {"org_slug": org_a.slug, "petition_id": petition.id, "membership_id": target,
                  "invalidation_id": inv.id, "letter_id": letter.id, "webhook_id": hook.id,
                  "token_id": token.id, "delivery_id": delivery.id, "message_id": dead}
        yield app, users, values


def _url(rule: str, values: dict) -> str:
    # A format each route serves: letters render as text, exports come as CSV.
    values = {**values, "fmt": "txt" if "/letters/" in rule else "csv"}
    url = rule
    for name, value in values.items():
        url = url.replace(f"<{name}>", str(value)).replace(f"<int:{name}>", str(value))
    assert "<" not in url, url
    return url


def _request(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, data={})


@pytest.mark.parametrize(("rule", "method", "needed"), ROUTES)
def test_an_anonymous_visitor_is_sent_to_the_login_page(world, rule, method, needed):
    app, _users, values = world
    response = _request(app.test_client(), method, _url(rule, values))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("rule", "method", "needed"), ROUTES)
def test_a_member_of_another_organisation_gets_404(world, rule, method, needed):
    app, users, values = world
    with app.app_context():
        client = app.test_client()
        login(client, users["outsider"])
        assert _request(client, method, _url(rule, values)).status_code == 404


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("rule", "method", "needed"), ROUTES)
def test_each_role_gets_exactly_what_it_may(world, rule, method, needed, role):
    app, users, values = world
    with app.app_context():
        client = app.test_client()
        login(client, users[role])
        response = _request(client, method, _url(rule, values))
    if role.allows(needed):
        assert response.status_code not in (401, 403, 404), response.status_code
        assert "/login" not in response.headers.get("Location", "")
    else:
        assert response.status_code == 403


def test_an_id_from_another_organisation_is_a_404_even_for_an_owner(world, app_factory):
    app, users, values = world
    with app.app_context():
        other = factories.create_open_petition(factories.create_organisation())
        client = app.test_client()
        login(client, users[Role.OWNER])

        other_letter = factories.create_letter(other.organisation)
        assert client.get(
            f"/o/{values['org_slug']}/letters/{other_letter.id}").status_code == 404
        for path in (f"/o/{values['org_slug']}/petitions/{other.id}",
                     f"/o/{values['org_slug']}/petitions/{other.id}/edit",
                     f"/o/{values['org_slug']}/petitions/{other.id}/signatures"):
            assert client.get(path).status_code == 404
        assert client.post(
            f"/o/{values['org_slug']}/petitions/{other.id}/close").status_code == 404
