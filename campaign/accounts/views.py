"""Logging in and out, password resets, invitations, and the owners' member and audit pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from campaign.accounts import audit, services
from campaign.accounts.access import organiser_view, scoped_or_404
from campaign.accounts.forms import (
    AcceptInvitationForm,
    InviteForm,
    LoginForm,
    NewPasswordForm,
    ResetRequestForm,
    RoleForm,
)
from campaign.accounts.models import Invitation, Membership, Role
from campaign.extensions import db, limiter
from campaign.types import utcnow

bp = Blueprint("accounts", __name__)


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site, so that a crafted link cannot send anyone elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login():
    """Log an organiser in."""
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")) or url_for("accounts.home"))
        form.password.errors.append(_("The email or the password is wrong."))
        return render_template("accounts/login.html", form=form), 422
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Log out, here and on every other device."""
    services.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("accounts.login"))


@bp.get("/o/")
@login_required
def home():
    """Go to the organiser's organisation, or let them choose one."""
    memberships = current_user.memberships
    if len(memberships) == 1:
        return redirect(url_for("organise.petitions", org_slug=memberships[0].organisation.slug))
    return render_template("accounts/choose.html", memberships=memberships)


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def request_reset():
    """Ask for a password reset link by mail."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("accounts/reset_sent.html")
    status = 422 if form.errors else 200
    return render_template("accounts/reset_request.html", form=form), status


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password with a mailed link."""
    services.find_password_reset(token)
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        db.session.commit()
        login_user(user)
        flash(_("Your password has been changed."))
        return redirect(url_for("accounts.home"))
    status = 422 if form.errors else 200
    return render_template("accounts/reset_password.html", form=form), status


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """Accept an invitation: with the current account, or by creating one."""
    invitation = services.find_invitation(token)
    existing = services.find_user(invitation.email)
    if current_user.is_authenticated:
        services.check_invitee(invitation, current_user)
        form = None
        if request.method == "POST":  # the CSRF token is checked for every POST
            services.accept_invitation(token, current_user)
            audit.record(invitation.organisation, "member.joined", current_user.email,
                         role=invitation.role.value)
            db.session.commit()
            return redirect(url_for("accounts.home"))
    elif existing is not None:
        return redirect(url_for("accounts.login", next=request.path))
    else:
        form = AcceptInvitationForm()
        if form.validate_on_submit():
            user = services.create_user(invitation.email, name=form.name.data,
                                        password=form.password.data)
            services.accept_invitation(token, user)
            audit.record(invitation.organisation, "member.joined", user.email,
                         role=invitation.role.value)
            db.session.commit()
            login_user(user)
            return redirect(url_for("accounts.home"))
    status = 422 if form is not None and form.errors else 200
    return render_template("accounts/invitation.html", invitation=invitation, form=form), status


@bp.get("/o/<org_slug>/members")
@organiser_view(Role.OWNER)
def members():
    """List the organisation's members and open invitations."""
    invitations = db.session.scalars(db.select(Invitation).where(
        Invitation.organisation_id == g.organisation.id, Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow())).all()
    return render_template("accounts/members.html", invite_form=InviteForm(),
                           role_form=RoleForm, invitations=invitations)


@bp.post("/o/<org_slug>/members/invite")
@organiser_view(Role.OWNER)
def invite():
    """Invite someone by mail."""
    form = InviteForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
        return redirect(url_for("accounts.members", org_slug=g.organisation.slug))
    services.invite(g.organisation, form.email.data, Role(form.role.data), current_user)
    audit.record(g.organisation, "member.invited", form.email.data, role=form.role.data)
    db.session.commit()
    flash(_("Invitation sent to %(email)s.", email=form.email.data))
    return redirect(url_for("accounts.members", org_slug=g.organisation.slug))


@bp.post("/o/<org_slug>/members/<int:membership_id>/role")
@organiser_view(Role.OWNER)
def change_role(membership_id: int):
    """Change a member's role."""
    membership = scoped_or_404(Membership, membership_id)
    form = RoleForm()
    if form.validate_on_submit() and Role(form.role.data) != membership.role:
        services.change_role(membership, Role(form.role.data))
        audit.record(g.organisation, "member.role_changed", membership.user.email,
                     role=form.role.data)
        db.session.commit()
    return redirect(url_for("accounts.members", org_slug=g.organisation.slug))


@bp.post("/o/<org_slug>/members/<int:membership_id>/remove")
@organiser_view(Role.OWNER)
def remove_member(membership_id: int):
    """Remove a member from the organisation."""
    membership = scoped_or_404(Membership, membership_id)
    email = membership.user.email
    services.remove_member(membership)
    audit.record(g.organisation, "member.removed", email)
    db.session.commit()
    return redirect(url_for("accounts.members", org_slug=g.organisation.slug))


@bp.get("/o/<org_slug>/audit")
@organiser_view(Role.OWNER)
def audit_log():
    """Show who did what and when."""
    return render_template("accounts/audit.html", events=audit.recent_events(g.organisation))


@bp.route("/o/<org_slug>/tokens", methods=["GET", "POST"])
@organiser_view(Role.OWNER)
def tokens():
    """List, create and revoke the organisation's API keys."""
    from campaign.accounts.models import ApiToken, TokenScope
    from campaign.accounts.tokens import create_token

    created = None
    if request.method == "POST":
        scope = request.form.get("scope", "")
        name = request.form.get("name", "").strip()
        if scope not in {s.value for s in TokenScope}:
            flash(_("Choose read or write."), "error")
        elif not name:
            # The name is what the audit log shows for every change made with the key.
            flash(_("Say what the key is for: its name appears in the audit log."), "error")
        else:
            token, created = create_token(g.organisation, TokenScope(scope), name)
            audit.record(g.organisation, "token.created", token.prefix, scope=scope)
            db.session.commit()
    listed = db.session.scalars(db.select(ApiToken).where(
        ApiToken.organisation_id == g.organisation.id).order_by(ApiToken.created_at.desc())).all()
    return render_template("accounts/tokens.html", tokens=listed, created=created)


@bp.post("/o/<org_slug>/tokens/<int:token_id>/revoke")
@organiser_view(Role.OWNER)
def revoke_token(token_id: int):
    """Revoke an API key: it stops working at once."""
    from campaign.accounts.models import ApiToken
    from campaign.accounts.tokens import revoke

    token = scoped_or_404(ApiToken, token_id)
    revoke(token)
    audit.record(g.organisation, "token.revoked", token.prefix)
    db.session.commit()
    flash(_("Key %(prefix)s... revoked.", prefix=token.prefix))
    return redirect(url_for("accounts.tokens", org_slug=g.organisation.slug))
