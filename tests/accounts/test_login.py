"""Organisers log in and out; passwords are hashed; resets never reveal who has an account."""

import re
from datetime import timedelta

from campaign.accounts.models import PasswordReset, User
from campaign.extensions import db
from campaign.types import utcnow
from tests import factories
from tests.conftest import csrf_token_from, delivered_mail, login, relative


def _login_attempt(client, email, password):
    page = client.get("/login")
    return client.post("/login", data={"csrf_token": csrf_token_from(page.get_data(True)),
                                       "email": email, "password": password})


def test_an_organiser_logs_in_and_reaches_their_petitions(client, organisation, editor):
    response = login(client, editor)
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert page.status_code == 200
    assert f"Petitions of {organisation.name}".encode() in page.data


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client, editor):
    wrong = _login_attempt(client, editor.email, "not the password")
    unknown = _login_attempt(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 422
    assert b"The email or the password is wrong." in wrong.data
    assert b"The email or the password is wrong." in unknown.data


def test_passwords_are_stored_hashed_with_scrypt(app, editor):
    stored = db.session.scalar(db.select(User.password_hash).where(User.id == editor.id))
    assert stored.startswith("scrypt:")
    assert factories.PASSWORD not in stored


def test_the_login_does_not_redirect_to_another_site(client, editor):
    page = client.get("/login?next=https://evil.example/")
    response = client.post("/login?next=https://evil.example/", data={
        "csrf_token": csrf_token_from(page.get_data(True)), "email": editor.email,
        "password": factories.PASSWORD})
    assert response.headers["Location"].startswith("/o/")


def test_logging_out_ends_the_session(client, organisation, editor):
    login(client, editor)
    page = client.get(f"/o/{organisation.slug}/petitions/")
    client.post("/logout", data={"csrf_token": csrf_token_from(page.get_data(True))})
    assert client.get(f"/o/{organisation.slug}/petitions/").status_code == 302


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(app, editor):
    client = app.test_client()
    page = client.get("/login", base_url="https://petitions.example.org")
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    with app.app_context():  # a fresh context: Flask-WTF caches the token in `g`
        plain = app.test_client().get("/login").headers["Set-Cookie"]
    assert "Secure" not in plain


def test_repeated_failed_logins_are_slowed_down(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        user = factories.create_user()
        client = app.test_client()
        statuses = [_login_attempt(client, user.email, "wrong").status_code for _ in range(4)]
        assert statuses == [422, 422, 422, 429]


def test_a_password_reset_link_works_once(app, client, editor):
    page = client.get("/reset-password")
    answer = client.post("/reset-password", data={
        "csrf_token": csrf_token_from(page.get_data(True)), "email": editor.email})
    assert b"If this address has an account" in answer.data
    [message] = delivered_mail(app)
    body = message.get_body(("plain",)).get_content()
    link = relative(re.search(r"https?://\S+/reset-password/\S+", body).group(0))

    form = client.get(link)
    changed = client.post(link, data={"csrf_token": csrf_token_from(form.get_data(True)),
                                      "password": "a brand new password",
                                      "confirm": "a brand new password"})
    assert changed.status_code == 302
    db.session.rollback()
    assert db.session.get(User, editor.id).check_password("a brand new password")
    assert client.get(link).status_code == 410


def test_asking_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(app, client):
    page = client.get("/reset-password")
    answer = client.post("/reset-password", data={
        "csrf_token": csrf_token_from(page.get_data(True)), "email": "nobody@example.org"})
    assert answer.status_code == 200
    assert b"If this address has an account" in answer.data
    assert delivered_mail(app) == []


def test_an_expired_reset_link_is_refused(app, client, editor):
    page = client.get("/reset-password")
    client.post("/reset-password", data={"csrf_token": csrf_token_from(page.get_data(True)),
                                         "email": editor.email})
    [message] = delivered_mail(app)
    link = relative(re.search(r"https?://\S+/reset-password/\S+",
                              message.get_body(("plain",)).get_content()).group(0))
    db.session.execute(db.update(PasswordReset).values(expires_at=utcnow() - timedelta(1)))
    db.session.commit()
    assert client.get(link).status_code == 410


def test_a_short_new_password_is_refused(app, client, editor):
    from campaign.accounts.services import request_password_reset

    request_password_reset(editor.email)
    db.session.commit()
    [message] = delivered_mail(app)
    link = relative(re.search(r"https?://\S+/reset-password/\S+",
                              message.get_body(("plain",)).get_content()).group(0))
    form = client.get(link)
    response = client.post(link, data={"csrf_token": csrf_token_from(form.get_data(True)),
                                       "password": "short", "confirm": "short"})
    assert response.status_code == 422
    assert b"at least 10 characters" in response.data


def test_cli_creates_an_organisation_and_a_member(app, runner):
    assert runner.invoke(args=["orgs", "create", "hr-watch", "--name", "HR Watch"]).exit_code == 0
    result = runner.invoke(args=["users", "create", "lead@example.org", "--org", "hr-watch",
                                 "--role", "owner", "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    assert "lead@example.org is now owner of hr-watch" in result.output
    client = app.test_client()
    db.session.rollback()
    user = db.session.scalar(db.select(User).where(User.email == "lead@example.org"))
    login(client, user, "a long enough password")


def test_cli_refuses_a_bad_slug_and_an_unknown_organisation(runner):
    bad = runner.invoke(args=["orgs", "create", "Bad Slug", "--name", "X"])
    assert bad.exit_code != 0 and "lower-case" in bad.output
    unknown = runner.invoke(args=["users", "create", "a@example.org", "--org", "nope",
                                  "--role", "viewer", "--password", "a long enough password"])
    assert unknown.exit_code != 0 and "no organisation" in unknown.output
