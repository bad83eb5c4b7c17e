"""`flask legal list`: the catalogue, one line per provision or as JSON."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from campaign.legal.catalogue import catalogue
from campaign.legal.citations import short_citation

legal_cli = AppGroup("legal", help="The legal catalogue of provisions and bodies.")


def _entry(provision, cat) -> dict:
    return {
        "id": provision.id,
        "instrument": provision.instrument.id,
        "citation": short_citation(provision, language="en"),
        "number": provision.number,
        "heading": provision.heading,
        "summary": provision.summary,
        "tags": list(provision.tags),
        "url": provision.url,
        "sources": list(provision.sources),
        "verified": provision.verified,
        "verified_on": provision.verified_on.isoformat() if provision.verified_on else None,
        "caveat": provision.caveat,
        "contested": [contest.id for contest in cat.readings(provision.id)],
    }


@legal_cli.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def list_command(fmt: str) -> None:
    """One line per provision: id, citation, heading, and whether it was checked."""
    cat = catalogue()
    if fmt == "json":
        click.echo(json.dumps([_entry(p, cat) for p in cat.provisions.values()],
                              ensure_ascii=False, indent=2))
        return
    for provision in cat.provisions.values():
        checked = (f"verified {provision.verified_on.isoformat()}" if provision.verified
                   else "unverified")
        contested = " contested" if cat.readings(provision.id) else ""
        click.echo(f"{provision.id}\t{short_citation(provision, language='en')}\t"
                   f"{provision.heading or ''}\t{checked}{contested}")
