"""`flask cases ...`: import and export lists of persons of concern, and re-encrypt their
private details after a key change."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from campaign.accounts.models import Organisation
from campaign.cases.importing import apply_import, plan_import
from campaign.extensions import db
from campaign.petitions.models import Petition

cases_cli = AppGroup("cases", help="Persons of concern.")


def _organisation(slug: str) -> Organisation:
    organisation = db.session.scalar(db.select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise click.UsageError(f"no organisation has the slug {slug!r}")
    return organisation


def _petition(organisation: Organisation, slug: str | None) -> Petition | None:
    if slug is None:
        return None
    petition = db.session.scalar(db.select(Petition).where(
        Petition.slug == slug, Petition.organisation_id == organisation.id))
    if petition is None:
        raise click.UsageError(f"organisation {organisation.slug!r} has no petition {slug!r}")
    return petition


@cases_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_slug", required=True, help="The organisation (its slug).")
@click.option("--petition", "petition_slug", help="Link every person of the list to it.")
@click.option("--dry-run", is_flag=True, help="Check and report; import nothing.")
def import_command(path: Path, org_slug: str, petition_slug: str | None, dry_run: bool) -> None:
    """Import persons of concern from a CSV list, all lines or none."""
    organisation = _organisation(org_slug)
    petition = _petition(organisation, petition_slug)
    plan = plan_import(organisation, path.read_bytes(), source_name=path.name)
    for problem in plan.problems:
        click.echo(f"error: {problem}")
    for line in plan.lines:
        if not line.ok:
            click.echo(f"line {line.number}: error: {'; '.join(line.errors)}")
        elif line.existing is not None:
            click.echo(f"line {line.number}: already recorded as person #{line.existing.id} "
                       f"({line.name}): not imported again"
                       + (", linked to the petition" if petition else ""))
        else:
            click.echo(f"line {line.number}: ok: {line.name} "
                       f"({line.fields['category'].code}, {line.status.status.value})")
    summary = (f"{len(plan.lines)} lines: {len(plan.new_lines)} new, "
               f"{len(plan.known_lines)} already recorded, {len(plan.invalid_lines)} with errors")
    if not plan.valid:
        db.session.rollback()
        click.echo(f"{summary}. Nothing imported: correct the file and run the import again.")
        raise SystemExit(1)
    if dry_run:
        db.session.rollback()
        click.echo(f"{summary}. Dry run: nothing imported.")
        return
    result = apply_import(plan, petition=petition)
    db.session.commit()
    click.echo(f"{summary}. Imported {len(result.created)} persons"
               + (f", {result.linked} newly linked to {petition.slug}" if petition else "")
               + ".")


@cases_cli.command("export")
@click.option("--org", "org_slug", required=True, help="The organisation (its slug).")
@click.option("--petition", "petition_slug", help="Only the persons linked to this petition.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The CSV file to write.")
def export_command(org_slug: str, petition_slug: str | None, output: Path) -> None:
    """Write the persons as CSV (the import's columns; encrypted details never leave)."""
    from campaign.cases.exporting import export_lines

    organisation = _organisation(org_slug)
    petition = _petition(organisation, petition_slug)
    with output.open("w", encoding="utf-8", newline="") as file:
        count = -1
        for count, line in enumerate(export_lines(organisation, petition)):  # noqa: B007
            file.write(line)
    db.session.rollback()
    click.echo(f"wrote {count} persons to {output}")


@cases_cli.command("reencrypt")
def reencrypt_command() -> None:
    """Encrypt every private detail again under CASES_ENCRYPTION_KEY (after rotating it, with
    the old key in CASES_ENCRYPTION_KEY_FALLBACKS)."""
    from campaign.cases.privacy import reencrypt_private_details

    changed = reencrypt_private_details()
    db.session.commit()
    click.echo(f"re-encrypted the private details of {changed} persons")
