"""`flask orgs create` and `flask users create`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from campaign.accounts.models import Organisation, Role
from campaign.accounts.services import add_member, create_organisation, create_user, find_user
from campaign.errors import CampaignError
from campaign.extensions import db

orgs_cli = AppGroup("orgs", help="Organisations.")
users_cli = AppGroup("users", help="Organisers' accounts.")


@orgs_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The organisation's full name.")
def create_org_command(slug: str, name: str) -> None:
    """Create an organisation with the short name SLUG."""
    try:
        create_organisation(slug, name)
    except CampaignError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"created organisation {slug}")


@users_cli.command("create")
@click.argument("email")
@click.option("--org", "org_slug", required=True, help="The organisation's short name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password", help="Prompted for when omitted.")
def create_user_command(email: str, org_slug: str, role: str, password: str | None) -> None:
    """Create an account (or reuse an existing one) and make it a member of an organisation."""
    organisation = db.session.scalar(db.select(Organisation).where(Organisation.slug == org_slug))
    if organisation is None:
        raise click.ClickException(f"no organisation has the short name {org_slug!r}")
    try:
        user = find_user(email)
        if user is None:
            if password is None:
                password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
            user = create_user(email, password=password)
        add_member(organisation, user, Role(role))
    except CampaignError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{user.email} is now {role} of {org_slug}")
