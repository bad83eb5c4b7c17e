"""`flask orgs create` and `flask users create`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from campaign.accounts.models import ApiToken, Organisation, Role, TokenScope
from campaign.accounts.services import add_member, create_organisation, create_user, find_user
from campaign.accounts.tokens import create_token, revoke
from campaign.errors import CampaignError
from campaign.extensions import db

orgs_cli = AppGroup("orgs", help="Organisations.")
users_cli = AppGroup("users", help="Organisers' accounts.")
tokens_cli = AppGroup("tokens", help="Keys to the JSON API.")


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


@tokens_cli.command("create")
@click.option("--org", "org_slug", required=True, help="The organisation's short name.")
@click.option("--scope", type=click.Choice([s.value for s in TokenScope]), required=True)
@click.option("--name", default="", help="What the key is for, to recognise it later.")
def create_token_command(org_slug: str, scope: str, name: str) -> None:
    """Create an API key and print it once; only its hash is kept."""
    organisation = db.session.scalar(db.select(Organisation).where(Organisation.slug == org_slug))
    if organisation is None:
        raise click.ClickException(f"no organisation has the short name {org_slug!r}")
    token, raw = create_token(organisation, TokenScope(scope), name)
    db.session.commit()
    click.echo(raw)
    click.echo(f"token {token.id} ({scope}) for {org_slug}: store it now, it is not shown again",
               err=True)


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_token_command(token_id: int) -> None:
    """Revoke an API key by its id."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"no token has the id {token_id}")
    revoke(token)
    db.session.commit()
    click.echo(f"token {token_id} revoked")
