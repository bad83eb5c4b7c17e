"""The rules for accounts: organisations, users, memberships, invitations, password resets."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from campaign.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    PasswordReset,
    Role,
    User,
)
from campaign.errors import CampaignError, Conflict, Gone, NotFound
from campaign.extensions import db
from campaign.link_tokens import digest, new_secret
from campaign.mail.services import queue_templated
from campaign.types import utcnow
from campaign.urls import external_url

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_PASSWORD_LENGTH = 10
RESET_LIFETIME = timedelta(hours=2)
INVITATION_LIFETIME = timedelta(days=14)

@cache
def _dummy_hash(method: str) -> str:
    """Checked against when no account matches, so that a login takes as long either way."""
    return generate_password_hash("not a real password", method=method)


def normalise_login_email(email: str) -> str:
    return email.strip().lower()


def create_organisation(slug: str, name: str) -> Organisation:
    if not SLUG_PATTERN.match(slug) or len(slug) > 64:
        raise CampaignError(_("An organisation's short name uses lower-case letters, digits "
                              "and single hyphens only."))
    if db.session.scalar(db.select(Organisation.id).where(Organisation.slug == slug)):
        raise Conflict(_("The short name %(slug)s is taken.", slug=slug))
    organisation = Organisation(slug=slug, name=name.strip())
    db.session.add(organisation)
    db.session.flush()
    return organisation


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CampaignError(_("A password needs at least %(n)s characters.",
                              n=MIN_PASSWORD_LENGTH))


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_login_email(email)))


def create_user(email: str, *, name: str = "", password: str | None = None) -> User:
    if find_user(email) is not None:
        raise Conflict(_("An account with this email address exists already."))
    user = User(email=normalise_login_email(email), name=name.strip())
    if password is not None:
        check_password_strength(password)
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def add_member(organisation: Organisation, user: User, role: Role) -> Membership:
    membership = db.session.scalar(db.select(Membership).where(
        Membership.organisation_id == organisation.id, Membership.user_id == user.id))
    if membership is None:
        membership = Membership(organisation=organisation, user=user, role=role)
        db.session.add(membership)
    else:
        membership.role = role
    db.session.flush()
    return membership


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    return user if user.check_password(password) else None


def end_all_sessions(user: User) -> None:
    """Log the account out everywhere: every session and remember cookie names the session
    version, which moves on."""
    user.session_version += 1
    db.session.flush()


def _retire_reset_links(user: User) -> None:
    db.session.execute(
        db.update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow()))


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address has an account; say nothing either way. A newer link
    replaces every older one."""
    user = find_user(email)
    if user is None:
        return
    _retire_reset_links(user)
    raw, token_hash = new_secret()
    db.session.add(PasswordReset(user=user, token_hash=token_hash,
                                 expires_at=utcnow() + RESET_LIFETIME))
    db.session.flush()
    queue_templated(kind="account.password_reset", recipient=user.email,
                    subject=_("Choose a new password"), template="password_reset",
                    reset_url=external_url("workspace.signin.reset_password", token=raw))


def find_password_reset(raw: str) -> PasswordReset:
    reset = db.session.scalar(db.select(PasswordReset).where(
        PasswordReset.token_hash == digest(raw)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        raise Gone(_("This link has expired or has been used. Ask for a new one."))
    return reset


def reset_password(raw: str, password: str) -> User:
    """Set a new password with a mailed link; every session of the account ends, and no other
    link works any more."""
    reset = find_password_reset(raw)
    check_password_strength(password)
    user = reset.user
    _retire_reset_links(user)
    user.set_password(password)
    end_all_sessions(user)
    return user


def invite(organisation: Organisation, email: str, role: Role, invited_by: User) -> Invitation:
    email = normalise_login_email(email)
    existing = find_user(email)
    if existing and any(m.organisation_id == organisation.id for m in existing.memberships):
        raise Conflict(_("%(email)s is already a member.", email=email))
    raw, token_hash = new_secret()
    invitation = Invitation(organisation=organisation, email=email, role=role,
                            token_hash=token_hash, invited_by_id=invited_by.id,
                            expires_at=utcnow() + INVITATION_LIFETIME)
    db.session.add(invitation)
    db.session.flush()
    queue_templated(kind="account.invitation", recipient=email,
                    organisation_id=organisation.id,
                    subject=_("Join %(name)s", name=organisation.name), template="invitation",
                    organisation=organisation, role=role, inviter=invited_by,
                    accept_url=external_url("workspace.signin.invitation", token=raw))
    return invitation


def find_invitation(raw: str) -> Invitation:
    invitation = db.session.scalar(db.select(Invitation).where(
        Invitation.token_hash == digest(raw)))
    if invitation is None:
        raise NotFound(_("This invitation link is not valid."))
    if invitation.accepted_at or invitation.revoked_at or invitation.expires_at <= utcnow():
        raise Gone(_("This invitation has expired, been used or been withdrawn. Ask for a new "
                     "one."))
    return invitation


def check_invitee(invitation: Invitation, user: User) -> None:
    """Only the account of the address the invitation was mailed to may accept it."""
    if normalise_login_email(user.email) != invitation.email:
        raise CampaignError(_("This invitation was sent to another email address. Log in with "
                              "that address to accept it, or ask an owner of the organisation "
                              "to invite this account."), 403)


def accept_invitation(raw: str, user: User) -> Membership:
    invitation = find_invitation(raw)
    check_invitee(invitation, user)
    invitation.accepted_at = utcnow()
    return add_member(invitation.organisation, user, invitation.role)


def owners(organisation: Organisation) -> list[Membership]:
    return [m for m in organisation.memberships if m.role == Role.OWNER]


def change_role(membership: Membership, role: Role) -> None:
    if membership.role == Role.OWNER and role != Role.OWNER and \
            len(owners(membership.organisation)) == 1:
        raise Conflict(_("An organisation needs at least one owner."))
    membership.role = role
    db.session.flush()


def remove_member(membership: Membership) -> None:
    if membership.role == Role.OWNER and len(owners(membership.organisation)) == 1:
        raise Conflict(_("An organisation needs at least one owner."))
    db.session.delete(membership)
    db.session.flush()
