"""Webhooks: `signature.confirmed`, `petition.goal_reached` and `petition.milestone_reached`,
as JSON signed with HMAC-SHA256, queued in the outbox within the transaction that caused them
and delivered with retries; each carries an idempotency key so that a receiver can drop a
repeat."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update

from campaign.errors import CampaignError
from campaign.exports.models import EVENTS, Webhook
from campaign.extensions import db
from campaign.mail.receivers import ReceiverRefused, Rules, check_receiver
from campaign.mail.services import queue_message
from campaign.petitions.events import ReachedMilestone, milestone_reached
from campaign.petitions.models import Petition
from campaign.signatures import counters
from campaign.signatures.events import ConfirmedSignature, signature_confirmed
from campaign.types import utcnow

SIGNATURE_HEADER = "X-Campaign-Signature"


def sign(secret: str, body: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def create_webhook(organisation_id: int, url: str, events: list[str]) -> Webhook:
    """Add a webhook whose address leads to a public https server (checked again at every
    delivery)."""
    unknown = set(events) - set(EVENTS)
    if unknown or not events:
        raise CampaignError(_("Choose events among: %(events)s.", events=", ".join(EVENTS)))
    try:
        check_receiver(url, Rules.from_config(current_app.config))
    except ReceiverRefused as refused:
        raise CampaignError(str(refused)) from None
    webhook = Webhook(organisation_id=organisation_id, url=url, events=sorted(set(events)),
                      secret=secrets.token_hex(32))
    db.session.add(webhook)
    db.session.flush()
    return webhook


def disable_webhook(webhook: Webhook) -> None:
    """Stop sending events to a webhook."""
    webhook.active = False
    db.session.flush()


_hooks = Webhook.__table__
# A prepared Core query of three columns: it runs on every confirmation, nearly always
# finding nothing.
_ACTIVE_HOOKS = db.select(_hooks.c.url, _hooks.c.secret, _hooks.c.events,
                          _hooks.c.organisation_id).where(
    _hooks.c.organisation_id == db.bindparam("organisation_id"), _hooks.c.active.is_(True))


def _active_hooks(organisation_id: int):
    return db.session.connection().execute(
        _ACTIVE_HOOKS, {"organisation_id": organisation_id}).all()


def _queue(hook, event: str, data: dict) -> None:
    key = str(uuid.uuid4())
    body = json.dumps({"id": key, "event": event, "created_at": utcnow().isoformat(),
                       "data": data}, sort_keys=True)
    queue_message(kind=f"webhook.{event}", recipient=hook.url, subject=event, text_body=body,
                  sender="webhook", transport="http", organisation_id=hook.organisation_id,
                  headers={"Content-Type": "application/json", "Idempotency-Key": key,
                           SIGNATURE_HEADER: sign(hook.secret, body)})


def on_signature_confirmed(confirmed: ConfirmedSignature) -> None:
    hooks = _active_hooks(confirmed.organisation_id)
    if not hooks:
        return
    petition = {"id": confirmed.petition_id, "slug": confirmed.petition_slug}
    for hook in (h for h in hooks if "signature.confirmed" in h.events):
        _queue(hook, "signature.confirmed", {
            "petition": petition,
            "signature": {"id": confirmed.id, "country": confirmed.country,
                          "source": confirmed.source,
                          "confirmed_at": confirmed.confirmed_at.isoformat()},
        })
    goal = confirmed.petition_goal
    goal_hooks = [h for h in hooks if "petition.goal_reached" in h.events]
    if not goal_hooks or not goal:
        return
    count = counters.signature_count(confirmed.petition_id)
    if count < goal:
        return
    # Only the transaction that marks the goal as reached announces it.
    marked = db.session.execute(
        update(Petition).where(Petition.id == confirmed.petition_id,
                               Petition.goal_reached_at.is_(None))
        .values(goal_reached_at=utcnow())
    ).rowcount
    if marked:
        for hook in goal_hooks:
            _queue(hook, "petition.goal_reached", {
                "petition": petition, "goal": goal, "signature_count": count})


def on_milestone_reached(reached: ReachedMilestone) -> None:
    if not reached.send_webhook:
        return
    for hook in _active_hooks(reached.organisation_id):
        if "petition.milestone_reached" in hook.events:
            _queue(hook, "petition.milestone_reached", {
                "petition": {"id": reached.petition_id, "slug": reached.petition_slug},
                "milestone": {"threshold": reached.threshold,
                              "reached_at": reached.reached_at.isoformat()},
                "signature_count": reached.signature_count})


def connect() -> None:
    signature_confirmed.connect(on_signature_confirmed, weak=False)
    milestone_reached.connect(on_milestone_reached, weak=False)
