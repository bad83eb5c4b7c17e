"""Owners read their organisation's audit log: who did what, and when."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from campaign.accounts import audit
from campaign.accounts.models import Role
from campaign.web.workspace.access import organiser_view

bp = Blueprint("audit", __name__)


@bp.get("/o/<org_slug>/audit")
@organiser_view(Role.OWNER)
def index():
    """Show who did what and when."""
    return render_template("workspace/audit/index.html", events=audit.recent_events(g.organisation))
