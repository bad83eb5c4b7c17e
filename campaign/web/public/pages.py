"""The public pages: the list of open petitions, a petition with its live figures and form,
and the petition's figures as JSON."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
    session,
)
from flask_babel import get_locale

from campaign.petitions.models import Petition
from campaign.petitions.services import get_public_petition, open_petitions
from campaign.signatures import counters
from campaign.signatures.models import CountDimension
from campaign.signatures.services import public_goal, recent_public_signers
from campaign.web.pagecache import cached_page
from campaign.web.public.forms import SignatureForm, clean_source

bp = Blueprint("pages", __name__)


def _cache_for_browser(response, public: bool = False):
    response = make_response(response)
    config = current_app.config
    scope = "public" if public else "private"
    response.headers["Cache-Control"] = (
        f"{scope}, max-age={config['PAGE_MAX_AGE']}, "
        f"stale-while-revalidate={config['PAGE_STALE_WHILE_REVALIDATE']}"
    )
    return response


@bp.get("/")
def index():
    """List the open petitions with their counts."""
    petitions = open_petitions()
    counts = counters.signature_counts(p.id for p in petitions)
    items = [
        {"petition": p, "count": counts.get(p.id, 0),
         "goal": public_goal(p, counts.get(p.id, 0))}
        for p in petitions
    ]
    return _cache_for_browser(render_template("public/index.html", items=items), public=True)


def render_petition_page(petition: Petition, form: SignatureForm, status: int = 200):
    count = counters.signature_count(petition.id)
    html = render_template(
        "public/petition.html",
        petition=petition,
        form=form,
        count=count,
        goal=public_goal(petition, count),
        signers=recent_public_signers(petition),
        accepting=petition.accepts_signatures(),
    )
    return html, status


@bp.get("/p/<slug>")
def petition(slug: str):
    """Show a petition: addressees, text, count and progress, recent signers, the form."""
    source = clean_source(request.args.get("source"))
    key = ("petition", slug, str(get_locale()), source)

    def render() -> str:
        # Only a public petition is ever rendered, so only public pages are ever cached.
        petition = get_public_petition(slug)
        return render_petition_page(petition, SignatureForm(source=source))[0]

    # A logged-in member's session names them (Flask-Login's key); reading it is cheaper than
    # loading the user on the busiest page.
    if "signed" in request.args or "_user_id" in session:
        # A signer back from confirming must see their own signature counted, and an
        # organiser their own edit: never a page kept from before, by this process or by
        # their browser.
        response = make_response(render())
        response.headers["Cache-Control"] = "no-store"
        return response
    html = cached_page(key, render)
    # Private: the page carries the visitor's own CSRF token.
    return _cache_for_browser(html)


@bp.get("/p/<slug>.json")
def petition_json(slug: str):
    """The petition's public figures as JSON."""
    petition = get_public_petition(slug)
    count = counters.signature_count(petition.id)
    response = jsonify(
        slug=petition.slug,
        title=petition.title,
        summary=petition.summary,
        state=petition.current_state.value,
        language=petition.language,
        signature_count=count,
        goal=petition.goal,
        next_goal=public_goal(petition, count),
        signatures_by_country=counters.counts_by(petition.id, CountDimension.COUNTRY),
        opened_at=_iso(petition.opened_at),
        closes_at=_iso(petition.closes_at),
        closed_at=_iso(petition.ended_at),
        delivered=_outcome(petition.delivered_on, petition.delivered_note),
        won=_outcome(petition.won_on, petition.won_note),
        created_at=_iso(petition.created_at),
        addressees=[
            {
                "office": a.office_title,
                "holder": a.holder_name,
                "institution": a.institution,
                "holder_since": a.holder_since.isoformat() if a.holder_since else None,
            }
            for a in petition.addressees
        ],
        demands=[d.text for d in petition.demands],
        references=[{"number": i + 1, "title": r.title, "url": r.url}
                    for i, r in enumerate(petition.references)],
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return _cache_for_browser(response, public=True)


def _iso(value):
    return value.isoformat() if value else None


def _outcome(day, note) -> dict | None:
    return {"date": day.isoformat(), "note": note} if day else None
