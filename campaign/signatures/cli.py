"""`flask counts reconcile`: recompute the counters from the signatures and report drift."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.signatures.counters import find_drift, reconcile_counts

counts_cli = AppGroup("counts", help="Signature counters.")
signatures_cli = AppGroup("signatures", help="Signers' personal data.")


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


@signatures_cli.command("anonymise")
@click.option("--months", type=int, default=None,
              help="Months after closing (default: the RETENTION_MONTHS setting).")
@click.option("--dry-run", is_flag=True, help="Say what would be anonymised, change nothing.")
def anonymise_command(months: int | None, dry_run: bool) -> None:
    """Erase signers' personal data on petitions closed long enough ago (SAFETY_ERASE_DAYS
    for those in signer-safety mode; counts stay), and the recipients and bodies of outbox
    messages past OUTBOX_RETENTION_DAYS."""
    from flask import current_app

    from campaign.mail.services import erase_old_messages
    from campaign.signatures.retention import anonymise_petition, petitions_due

    months = current_app.config["RETENTION_MONTHS"] if months is None else months
    if months < 0:
        raise click.UsageError("--months cannot be negative")
    signatures = messages = 0
    for petition in petitions_due(months, current_app.config["SAFETY_ERASE_DAYS"]):
        closed = petition.ended_at.date().isoformat()
        if dry_run:
            click.echo(f"{petition.slug}: closed {closed}, would anonymise its signatures")
            continue
        erased = anonymise_petition(petition)
        db.session.commit()  # one petition per transaction: a failure keeps what was done
        signatures += erased.signatures
        messages += erased.messages
        click.echo(f"{petition.slug}: closed {closed}, anonymised {erased.signatures} "
                   f"signatures and erased {erased.messages} outbox messages about them")
    days = current_app.config["OUTBOX_RETENTION_DAYS"]
    if not dry_run:
        old_messages = erase_old_messages(days)
        db.session.commit()
        click.echo(f"erased {old_messages} outbox messages sent or given up over {days} days "
                   f"ago")
    click.echo(f"anonymised {signatures} signatures (petitions closed over {months} months "
               f"ago) and erased {messages} outbox messages about them")
