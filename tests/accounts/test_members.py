"""Owners invite members by mail, change roles and remove members; all of it is audited."""

import re

from campaign.accounts.models import AuditEvent, Membership, Role, User
from campaign.extensions import db
from tests import factories
from tests.conftest import csrf_token_from, delivered_mail, login, post_form, relative


def _invite(client, organisation, email, role="editor"):
    return post_form(client, f"/o/{organisation.slug}/members/invite",
                     {"email": email, "role": role},
                     form_page=f"/o/{organisation.slug}/members")


def _invitation_link(app):
    message = delivered_mail(app)[-1]
    body = message.get_body(("plain",)).get_content()
    return relative(re.search(r"https?://\S+/invitations/\S+", body).group(0))


def test_an_invited_newcomer_creates_an_account_and_joins(app, client, organisation, owner):
    login(client, owner)
    assert _invite(client, organisation, "new@example.org").status_code == 302
    link = _invitation_link(app)
    newcomer = app.test_client()
    with app.app_context():
        page = newcomer.get(link)
        assert b"Create your account for new@example.org" in page.data
        response = newcomer.post(link, data={
            "csrf_token": csrf_token_from(page.get_data(True)), "name": "New Person",
            "password": "a long enough password", "confirm": "a long enough password"})
        assert response.status_code == 302
        assert newcomer.get(f"/o/{organisation.slug}/petitions/").status_code == 200
    db.session.rollback()
    user = db.session.scalar(db.select(User).where(User.email == "new@example.org"))
    assert user.memberships[0].role == Role.EDITOR
    assert newcomer.get(link).status_code == 410, "an invitation works once"


def test_an_existing_user_logs_in_then_accepts(app, client, organisation, owner):
    existing = factories.create_user("known@example.org")
    login(client, owner)
    _invite(client, organisation, "known@example.org", role="viewer")
    link = _invitation_link(app)
    other = app.test_client()
    with app.app_context():
        assert "/login" in other.get(link).headers["Location"]
        login(other, existing)
        page = other.get(link)
        other.post(link, data={"csrf_token": csrf_token_from(page.get_data(True))})
    db.session.rollback()
    membership = db.session.scalar(db.select(Membership).where(
        Membership.user_id == existing.id))
    assert membership.role == Role.VIEWER


def test_owners_change_roles_but_never_remove_the_last_owner(client, organisation, owner,
                                                            viewer):
    login(client, owner)
    members = f"/o/{organisation.slug}/members"
    viewer_membership = db.session.scalar(db.select(Membership).where(
        Membership.user_id == viewer.id))
    owner_membership = db.session.scalar(db.select(Membership).where(
        Membership.user_id == owner.id))
    post_form(client, f"{members}/{viewer_membership.id}/role", {"role": "editor"},
              form_page=members)
    post_form(client, f"{members}/{owner_membership.id}/remove", form_page=members)
    db.session.rollback()
    assert db.session.get(Membership, viewer_membership.id).role == Role.EDITOR
    assert db.session.get(Membership, owner_membership.id) is not None
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "member.role_changed" in actions


def test_inviting_a_member_twice_is_refused(client, organisation, owner, editor):
    login(client, owner)
    response = _invite(client, organisation, editor.email)
    assert response.status_code == 409
    assert b"already a member" in response.data


def test_owners_read_the_audit_log(client, organisation, owner):
    login(client, owner)
    _invite(client, organisation, "someone@example.org")
    page = client.get(f"/o/{organisation.slug}/audit").get_data(as_text=True)
    assert "member.invited" in page
    assert "someone@example.org" in page
    assert owner.email in page
