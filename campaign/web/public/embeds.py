"""What other sites show of a petition: an embeddable widget and a badge."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template
from markupsafe import escape

from campaign.petitions.services import get_public_petition
from campaign.signatures import counters
from campaign.signatures.services import public_goal

bp = Blueprint("embeds", __name__)


def _public_cache(response: Response) -> Response:
    config = current_app.config
    response.headers["Cache-Control"] = (
        f"public, max-age={config['PAGE_MAX_AGE']}, "
        f"stale-while-revalidate={config['PAGE_STALE_WHILE_REVALIDATE']}")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/p/<slug>/embed")
def embed(slug: str):
    """The count, progress and a link to sign, for other sites to frame."""
    petition = get_public_petition(slug)
    count = counters.signature_count(petition.id)
    response = Response(render_template("public/embed.html", petition=petition, count=count,
                                        goal=public_goal(petition, count)))
    # This page alone may be framed by any site.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors *; "
        "base-uri 'none'; form-action 'self'")
    return _public_cache(response)


@bp.get("/p/<slug>/badge.svg")
def badge(slug: str):
    """A small image with the count and the goal."""
    petition = get_public_petition(slug)
    count = counters.signature_count(petition.id)
    goal = public_goal(petition, count)
    label, value = "signatures", f"{count:,} / {goal:,}" if goal else f"{count:,}"
    left, right = 8 + 7 * len(label), 10 + 7 * len(value)
    width = left + right
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{escape(petition.title)}: {count} signatures">'
        f"<title>{escape(petition.title)}: {value}</title>"
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="#0b5394"/>'
        f'<g fill="#fff" font-family="DejaVu Sans,Verdana,sans-serif" font-size="11">'
        f'<text x="5" y="14">{label}</text><text x="{left + 5}" y="14">{value}</text></g></svg>'
    )
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return _public_cache(response)
