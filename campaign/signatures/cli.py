"""`flask counts reconcile`: recompute the counters from the signatures and report drift."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.signatures.counters import find_drift, reconcile_counts

counts_cli = AppGroup("counts", help="Signature counters.")


@counts_cli.command("reconcile")
@click.option("--petition", "slug", help="Only this petition (its slug).")
@click.option("--check", is_flag=True, help="Report drift without correcting it; exit 1 if any.")
def reconcile_command(slug: str | None, check: bool) -> None:
    """Recompute every counter from the confirmed signatures and correct any drift."""
    query = db.select(Petition.id, Petition.slug).order_by(Petition.id)
    if slug:
        query = query.where(Petition.slug == slug)
    petitions = dict(db.session.execute(query).all())
    if slug and not petitions:
        raise click.UsageError(f"no petition has the slug {slug!r}")
    drift = find_drift(petitions) if check else reconcile_counts(petitions)
    for item in drift:
        label = f"{item.dimension}={item.key}" if item.key else item.dimension
        click.echo(f"drift: {petitions[item.petition_id]} {label} "
                   f"recorded {item.recorded}, actual {item.actual}")
    if check:
        db.session.rollback()
        click.echo(f"checked {len(petitions)} petitions: {len(drift)} counters drifted")
        if drift:
            raise SystemExit(1)
        return
    db.session.commit()
    click.echo(f"reconciled {len(petitions)} petitions: {len(drift)} counters corrected")
