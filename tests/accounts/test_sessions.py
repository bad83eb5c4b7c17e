"""Sessions end when they should: logging out or resetting the password ends the account's
sessions and remember cookies everywhere; links work once, for whom they were sent.

Each request here runs in an application context of its own, as requests do in production,
so that nothing a test remembers in `g` can keep a session alive."""

import re
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import pytest

from campaign.accounts.models import Membership, Organisation, Role, User
from campaign.extensions import db
from campaign.letters import services as letters
from campaign.letters.models import Cosigner
from campaign.signatures.counters import signature_count
from campaign.signatures.models import Signature, SignatureState
from campaign.types import utcnow
from tests import factories
from tests.conftest import csrf_token_from, delivered_mail, link_in, relative, sign

PASSWORD = factories.PASSWORD


@pytest.fixture
def world(app_factory):
    """An application without a context pushed, an organisation and an editor."""
    app = app_factory()
    with app.app_context():
        organisation = factories.create_organisation()
        editor = factories.create_member(organisation, Role.EDITOR)
        world = {"slug": organisation.slug, "email": editor.email,
                 "organisation_id": organisation.id}
    return app, world


def _login(app, email: str, remember: bool = False, base_url: str = "http://localhost"):
    client = app.test_client()
    page = client.get("/login", base_url=base_url).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    # Over https, the CSRF check also wants a Referer from this site, as a browser sends.
    response = client.post("/login", data=data, base_url=base_url,
                           headers={"Referer": f"{base_url}/login"})
    assert response.status_code == 302
    return client, response


def _logged_in(client, slug: str) -> bool:
    return client.get(f"/o/{slug}/petitions/").status_code == 200


def _logout(client, slug: str) -> None:
    page = client.get(f"/o/{slug}/petitions/").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_token_from(page)}).status_code == 302


def test_logging_out_on_one_device_ends_the_sessions_on_every_device(world):
    app, w = world
    laptop, _ = _login(app, w["email"])
    phone, _ = _login(app, w["email"])
    assert _logged_in(laptop, w["slug"]) and _logged_in(phone, w["slug"])
    _logout(laptop, w["slug"])
    assert not _logged_in(phone, w["slug"])
    again, _ = _login(app, w["email"])
    assert _logged_in(again, w["slug"]), "logging in afterwards works as before"


def test_logging_out_ends_the_remember_cookie_too(world):
    app, w = world
    phone, _ = _login(app, w["email"], remember=True)
    phone.delete_cookie("session")
    assert _logged_in(phone, w["slug"]), "the remember cookie logs the phone back in"
    laptop, _ = _login(app, w["email"])
    _logout(laptop, w["slug"])
    phone.delete_cookie("session")
    assert not _logged_in(phone, w["slug"])


def _reset_link(app, email: str) -> str:
    client = app.test_client()
    page = client.get("/reset-password").get_data(as_text=True)
    client.post("/reset-password", data={"csrf_token": csrf_token_from(page), "email": email})
    with app.app_context():
        message = delivered_mail(app)[-1]
    return relative(link_in(message, "/reset-password/"))


def test_a_password_reset_ends_every_session_and_only_the_newest_link_works(world):
    app, w = world
    phone, _ = _login(app, w["email"], remember=True)
    older = _reset_link(app, w["email"])
    newer = _reset_link(app, w["email"])
    stranger = app.test_client()
    assert stranger.get(older).status_code == 410, "a newer link replaces the older"
    page = stranger.get(newer).get_data(as_text=True)
    response = stranger.post(newer, data={"csrf_token": csrf_token_from(page),
                                          "password": "a brand new password",
                                          "confirm": "a brand new password"})
    assert response.status_code == 302
    assert _logged_in(stranger, w["slug"]), "whoever reset the password is logged in"
    assert not _logged_in(phone, w["slug"])
    phone.delete_cookie("session")
    assert not _logged_in(phone, w["slug"]), "nor does the remember cookie work"
    assert app.test_client().get(newer).status_code == 410


def _remember_cookie(response) -> tuple[str, SimpleCookie]:
    [header] = [h for h in response.headers.getlist("Set-Cookie")
                if h.startswith("remember_token=")]
    return header, SimpleCookie(header)["remember_token"]


def test_the_remember_cookie_is_secure_over_https_httponly_lax_and_lasts_30_days(world):
    app, w = world
    _client, response = _login(app, w["email"], remember=True,
                               base_url="https://petitions.example.org")
    header, cookie = _remember_cookie(response)
    assert "; Secure" in header and "; HttpOnly" in header and "SameSite=Lax" in header
    expires = datetime.strptime(cookie["expires"], "%a, %d %b %Y %H:%M:%S GMT")
    lasts = expires.replace(tzinfo=UTC) - utcnow()
    assert timedelta(days=29) < lasts <= timedelta(days=30)
    _client, plain = _login(app, w["email"], remember=True)
    assert "Secure" not in _remember_cookie(plain)[0], "plain http in development"


def _invitation_link(app, slug: str, owner_email: str, invited: str) -> str:
    client, _ = _login(app, owner_email)
    page = client.get(f"/o/{slug}/members").get_data(as_text=True)
    client.post(f"/o/{slug}/members/invite", data={"csrf_token": csrf_token_from(page),
                                                  "email": invited, "role": "editor"})
    with app.app_context():
        body = delivered_mail(app)[-1].get_body(("plain",)).get_content()
    return relative(re.search(r"https?://\S+/invitations/\S+", body).group(0))


def test_an_invitation_is_accepted_only_by_the_address_it_was_sent_to(world):
    app, w = world
    with app.app_context():
        organisation = db.session.get(Organisation, w["organisation_id"])
        owner = factories.create_member(organisation, Role.OWNER).email
        other = factories.create_member(factories.create_organisation(), Role.OWNER).email
        invited = factories.create_user("invited@example.org").email
    link = _invitation_link(app, w["slug"], owner, "invited@example.org")
    wrong, _ = _login(app, other)
    page = wrong.get(link)
    assert page.status_code == 403
    assert b"sent to another email address" in page.data
    assert wrong.post(link, data={"csrf_token": "x"}).status_code in (400, 403)
    right, _ = _login(app, invited)
    page = right.get(link).get_data(as_text=True)
    assert right.post(link, data={"csrf_token": csrf_token_from(page)}).status_code == 302
    with app.app_context():
        members = db.session.scalars(db.select(Membership.user_id).where(
            Membership.organisation_id == w["organisation_id"])).all()
        emails = {db.session.get(User, m).email for m in members}
    assert "invited@example.org" in emails and other not in emails


def test_a_cosigner_link_works_once_and_expires(app, client, organisation):
    letter = factories.create_letter(organisation)
    _cosigner, link = letters.invite_cosigner(letter, "Families of the Missing", None)
    _expiring, expiring_link = letters.invite_cosigner(letter, "Mothers of Soldiers", None)
    db.session.commit()
    path = relative(link)
    page = client.get(path)
    assert page.status_code == 200
    done = client.post(path, data={"csrf_token": csrf_token_from(page.get_data(True)),
                                   "signatory_name": "Mariam", "signatory_title": "Chair"})
    assert done.status_code == 200
    assert client.get(path).status_code == 410
    replayed = client.post(path, data={"csrf_token": csrf_token_from(page.get_data(True)),
                                       "signatory_name": "Someone Else",
                                       "signatory_title": "Impostor"})
    assert replayed.status_code == 410
    db.session.rollback()
    assert db.session.scalar(db.select(Cosigner.signatory_name).where(
        Cosigner.organisation_name == "Families of the Missing")) == "Mariam"
    db.session.execute(db.update(Cosigner).where(
        Cosigner.organisation_name == "Mothers of Soldiers").values(
        token_expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    expired = client.get(relative(expiring_link))
    assert expired.status_code == 410 and b"expired" in expired.data


def _confirm(client, message) -> None:
    path = relative(link_in(message, "/confirm/"))
    page = client.get(path)
    client.post(path, data={"csrf_token": csrf_token_from(page.get_data(True))})


def test_a_withdraw_link_withdraws_only_the_signature_it_was_mailed_for(app, client,
                                                                        petition):
    sign(client, petition.slug)
    [first] = delivered_mail(app)
    _confirm(client, first)
    sign(client, petition.slug)  # a repeat: "you have already signed", with a second link
    already = next(m for m in delivered_mail(app) if "already signed" in m["Subject"])
    withdraw = relative(link_in(first, "/withdraw/"))
    page = client.get(withdraw)
    client.post(withdraw, data={"csrf_token": csrf_token_from(page.get_data(True))})
    assert signature_count(petition.id) == 0

    sign(client, petition.slug)  # the same address signs again: a new signature
    _confirm(client, delivered_mail(app)[-1])
    assert signature_count(petition.id) == 1
    for old_link in (withdraw, relative(link_in(already, "/withdraw/"))):
        assert client.get(old_link).status_code == 410
        assert client.post(old_link, data={
            "csrf_token": csrf_token_from(page.get_data(True))}).status_code == 410
    assert signature_count(petition.id) == 1
    db.session.rollback()
    states = db.session.scalars(db.select(Signature.state).order_by(Signature.id)).all()
    assert states == [SignatureState.WITHDRAWN, SignatureState.CONFIRMED]
