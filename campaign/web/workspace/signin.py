"""Signing in: logging in and out, password resets, and accepting an invitation."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from campaign.accounts import audit, services
from campaign.extensions import limiter
from campaign.web.workspace.forms.signin import (
    AcceptInvitationForm,
    LoginForm,
    NewPasswordForm,
    ResetRequestForm,
)

bp = Blueprint("signin", __name__)


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
            return redirect(_safe_next(request.args.get("next"))
                            or url_for("workspace.signin.home"))
        form.password.errors.append(_("The email or the password is wrong."))
        return render_template("workspace/signin/login.html", form=form), 422
    return render_template("workspace/signin/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Log out, here and on every other device."""
    services.end_all_sessions(current_user)
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("workspace.signin.login"))


@bp.get("/o/")
@login_required
def home():
    """Go to the organiser's organisation, or let them choose one."""
    memberships = current_user.memberships
    if len(memberships) == 1:
        return redirect(url_for("workspace.petitions.index",
                                org_slug=memberships[0].organisation.slug))
    return render_template("workspace/signin/choose.html", memberships=memberships)


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def request_reset():
    """Ask for a password reset link by mail."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("workspace/signin/reset_sent.html")
    status = 422 if form.errors else 200
    return render_template("workspace/signin/reset_request.html", form=form), status


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password with a mailed link."""
    services.find_password_reset(token)
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        login_user(user)
        flash(_("Your password has been changed."))
        return redirect(url_for("workspace.signin.home"))
    status = 422 if form.errors else 200
    return render_template("workspace/signin/reset_password.html", form=form), status


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
            return redirect(url_for("workspace.signin.home"))
    elif existing is not None:
        return redirect(url_for("workspace.signin.login", next=request.path))
    else:
        form = AcceptInvitationForm()
        if form.validate_on_submit():
            user = services.create_user(invitation.email, name=form.name.data,
                                        password=form.password.data)
            services.accept_invitation(token, user)
            audit.record(invitation.organisation, "member.joined", user.email,
                         role=invitation.role.value)
            login_user(user)
            return redirect(url_for("workspace.signin.home"))
    status = 422 if form is not None and form.errors else 200
    return render_template("workspace/signin/invitation.html", invitation=invitation,
                           form=form), status
