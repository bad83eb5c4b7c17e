"""`flask letters list` and `flask letters render`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from campaign.errors import CampaignError
from campaign.extensions import db
from campaign.legal.catalogue import catalogue
from campaign.letters import services
from campaign.letters.document import LetterDocument
from campaign.letters.models import Letter
from campaign.letters.render import FORMATS, render

letters_cli = AppGroup("letters", help="Letters to international bodies.")


@letters_cli.command("list")
def list_command() -> None:
    """One line per letter: id, organisation, body, status, subject."""
    bodies = catalogue().bodies
    letters = db.session.scalars(db.select(Letter).order_by(Letter.id)).all()
    if not letters:
        click.echo("no letters")
    for letter in letters:
        status = f"final v{letter.latest_version.number}" if letter.final else (
            f"draft of v{letter.latest_version.number + 1}" if letter.versions else "draft")
        click.echo(f"{letter.id}\t{letter.organisation.slug}\t{bodies[letter.body_id].short_name}"
                   f"\t{status}\t{letter.subject}")


@letters_cli.command("render")
@click.argument("letter_id", type=int)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--version", "number", type=int, help="A finalised version (default: the draft).")
def render_command(letter_id: int, fmt: str, output: Path, number: int | None) -> None:
    """Write a letter as PDF, DOCX, HTML or text."""
    letter = db.session.get(Letter, letter_id)
    if letter is None:
        raise click.ClickException(f"no letter has the id {letter_id}")
    try:
        document = (LetterDocument.from_data(services.version_of(letter, number).document)
                    if number else services.current_document(letter))
    except CampaignError as error:
        raise click.ClickException(error.message) from None
    output.write_bytes(render(document, fmt))
    click.echo(f"wrote {output} ({output.stat().st_size} bytes)")
