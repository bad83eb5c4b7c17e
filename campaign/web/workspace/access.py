"""Authorisation in one place: every organiser page is under /o/<org_slug>/ and goes through
`organiser_view`, which loads the current organisation from the user's own memberships."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, g
from flask_login import current_user, login_required

from campaign.accounts.models import Membership, Organisation, Role
from campaign.extensions import db


def organiser_view(needed: Role) -> Callable:
    """Let members of the organisation in the URL through if their role allows `needed`.

    Anyone not logged in goes to the login page; a user who is not a member gets 404 (the
    organisation's existence is not confirmed to outsiders); a member whose role is too low
    gets 403. The view reads the organisation from `g.organisation`.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(org_slug: str, *args, **kwargs):
            membership = db.session.scalar(
                db.select(Membership)
                .join(Organisation)
                .where(Organisation.slug == org_slug, Membership.user_id == current_user.id)
            )
            if membership is None:
                abort(404)
            if not membership.role.allows(needed):
                abort(403)
            g.organisation = membership.organisation
            g.membership = membership
            return view(*args, **kwargs)

        wrapped.needed_role = needed
        return wrapped

    return decorator


def current_organisation() -> Organisation:
    return g.organisation


def current_role() -> Role:
    return g.membership.role


def scoped_or_404(model, object_id: int, *, organisation_column=None):
    """The object with this id if it belongs to the current organisation, else 404.

    `organisation_column` names the column that ties the model to an organisation when it is
    not `organisation_id` on the model itself (for example a petition's, through a join).
    """
    column = organisation_column if organisation_column is not None else model.organisation_id
    query = db.select(model).where(model.id == object_id, column == g.organisation.id)
    found = db.session.scalar(query)
    if found is None:
        abort(404)
    return found
