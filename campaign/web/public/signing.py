"""Signing and the links mailed to signers: confirm and withdraw, each through a POSTed button."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale

from campaign.database import begin_writes, reads_first
from campaign.extensions import csrf, limiter
from campaign.petitions.services import get_public_petition, public_petition_head
from campaign.signatures import counters
from campaign.signatures.models import TokenPurpose
from campaign.signatures.services import (
    SignatureInput,
    check_withdraw_token,
    ensure_accepting,
    prepare_signature,
    public_goal,
    read_confirmation,
    record_confirmation,
    record_signature,
    withdraw_signature,
)
from campaign.signatures.tokens import find_token
from campaign.signatures.updates import signature_for_unsubscribe, unsubscribe
from campaign.urls import external_url
from campaign.web.public.forms import SignatureForm, clean_source
from campaign.web.public.pages import render_petition_page

bp = Blueprint("signing", __name__)


def _sign_rate_limit() -> str:
    return current_app.config["SIGN_RATE_LIMIT"]


@bp.post("/p/<slug>/sign")
@limiter.limit(_sign_rate_limit, methods=["POST"])
@reads_first
def sign(slug: str):
    """Take a signature and send its confirmation mail."""
    petition = public_petition_head(slug)
    ensure_accepting(petition)
    form = SignatureForm()
    if not form.validate_on_submit():
        html, _status = render_petition_page(get_public_petition(slug), form)
        return html, 422
    if not form.is_bot:
        signature = prepare_signature(
            petition,
            SignatureInput(
                full_name=form.full_name.data,
                email=form.email.data,
                country=form.country.data,
                postal_code=form.postal_code.data,
                city=form.city.data,
                comment=form.comment.data,
                show_name=form.show_name.data,
                name_withheld=form.name_withheld.data,
                contact_ok=form.contact_ok.data,
                source=clean_source(form.source.data),
            ),
            ip_address=request.remote_addr,
            locale=str(get_locale() or "en"),
        )
        begin_writes()  # the reads are done: the write lock is held for the writes alone
        record_signature(signature)
    # New, repeat and bot submissions all land on the same page.
    return redirect(url_for("public.signing.check_email", slug=slug), code=303)


@bp.get("/p/<slug>/check-your-inbox")
def check_email(slug: str):
    """Ask the signer to open the confirmation mail."""
    petition = get_public_petition(slug)
    return render_template("public/check_email.html", petition=petition)


def _token_page(body: str, status: int = 200):
    # The token is in the address: it must not leak to other sites through the Referer header.
    response = make_response(body, status)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/confirm/<token>")
def confirm(token: str):
    """Show the button that confirms a signature (mail scanners follow GET links)."""
    found = find_token(token, TokenPurpose.CONFIRM)
    body = render_template("public/confirm.html", token=token,
                           signature=found.signature if found else None)
    return _token_page(body, 200 if found else 404)


@bp.post("/confirm/<token>")
@reads_first
def confirm_post(token: str):
    """Confirm a signature, so that it counts."""
    confirmation = read_confirmation(token)
    begin_writes()  # the reads are done: the write lock is held for the writes alone
    outcome = record_confirmation(confirmation)
    return redirect(url_for("public.signing.confirmed", slug=outcome.petition_slug), code=303)


@bp.get("/p/<slug>/thank-you")
def confirmed(slug: str):
    """Thank the signer and offer ways to share the petition."""
    petition = get_public_petition(slug)
    count = counters.signature_count(petition.id)
    share_url = external_url("public.pages.petition", slug=slug)
    return render_template("public/confirmed.html", petition=petition, count=count,
                           goal=public_goal(petition, count), share_url=share_url)


@bp.get("/withdraw/<token>")
def withdraw(token: str):
    """Show the button that withdraws a signature."""
    signature = check_withdraw_token(token).signature
    return _token_page(
        render_template("public/withdraw.html", token=token, signature=signature))


@bp.post("/withdraw/<token>")
def withdraw_post(token: str):
    """Withdraw a signature: it stops counting and the signer's details are erased."""
    signature = withdraw_signature(token)
    return _token_page(render_template("public/withdrawn.html", petition=signature.petition))


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str):
    """Show the button that stops campaign news for one signature."""
    signature = signature_for_unsubscribe(token)
    status = 200 if signature else 404
    return _token_page(render_template("public/unsubscribe.html", token=token,
                                       signature=signature, done=False), status)


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # RFC 8058 one-click: mail programs POST here without a form token
def unsubscribe_post(token: str):
    """Stop campaign news for this signature; harmless to repeat."""
    signature = signature_for_unsubscribe(token)
    if signature is None:
        return _token_page(render_template("public/unsubscribe.html", token=token,
                                           signature=None, done=False), 404)
    unsubscribe(signature)
    return _token_page(render_template("public/unsubscribe.html", token=token,
                                       signature=signature, done=True))
