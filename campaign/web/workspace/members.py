"""Owners manage their organisation's members: invitations by mail, roles, removal."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.accounts import audit, services
from campaign.accounts.models import Invitation, Membership, Role
from campaign.extensions import db
from campaign.types import utcnow
from campaign.web.formfields import flash_errors
from campaign.web.workspace.access import organiser_view, scoped_or_404
from campaign.web.workspace.forms.members import InviteForm, RoleForm

bp = Blueprint("members", __name__, url_prefix="/o/<org_slug>/members")


@bp.get("")
@organiser_view(Role.OWNER)
def index():
    """List the organisation's members and open invitations."""
    invitations = db.session.scalars(db.select(Invitation).where(
        Invitation.organisation_id == g.organisation.id, Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow())).all()
    role_forms = {m.id: RoleForm.from_object(m) for m in g.organisation.memberships}
    return render_template("workspace/members/index.html", invite_form=InviteForm(),
                           role_forms=role_forms, invitations=invitations)


@bp.post("/invite")
@organiser_view(Role.OWNER)
def invite():
    """Invite someone by mail."""
    form = InviteForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for("workspace.members.index", org_slug=g.organisation.slug))
    services.invite(g.organisation, form.email.data, Role(form.role.data), current_user)
    audit.record(g.organisation, "member.invited", form.email.data, role=form.role.data)
    flash(_("Invitation sent to %(email)s.", email=form.email.data))
    return redirect(url_for("workspace.members.index", org_slug=g.organisation.slug))


@bp.post("/<int:membership_id>/role")
@organiser_view(Role.OWNER)
def change_role(membership_id: int):
    """Change a member's role."""
    membership = scoped_or_404(Membership, membership_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash_errors(form)
    elif form.changes().get("role", membership.role) != membership.role:
        services.change_role(membership, form.changes()["role"])
        audit.record(g.organisation, "member.role_changed", membership.user.email,
                     role=membership.role.value)
    return redirect(url_for("workspace.members.index", org_slug=g.organisation.slug))


@bp.post("/<int:membership_id>/remove")
@organiser_view(Role.OWNER)
def remove(membership_id: int):
    """Remove a member from the organisation."""
    membership = scoped_or_404(Membership, membership_id)
    email = membership.user.email
    services.remove_member(membership)
    audit.record(g.organisation, "member.removed", email)
    return redirect(url_for("workspace.members.index", org_slug=g.organisation.slug))
