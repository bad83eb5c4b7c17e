"""The audit log: one call records who did what in the current organisation, whether a
person did it in the organisers' pages or a program through the API with a key.

Who is acting is known to the door serving the request, not to the domains: the web layer
registers a callable under ACTOR_SOURCE in app.extensions that answers (user id, API key id);
commands and workers act as nobody unless they name a user."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

from campaign.accounts.models import AuditEvent, Organisation
from campaign.extensions import db

ACTOR_SOURCE = "campaign.audit_actor"
Actor = tuple[int | None, int | None]  # (user id, API key id)


def current_actor() -> Actor:
    source: Callable[[], Actor] | None = current_app.extensions.get(ACTOR_SOURCE)
    return source() if source is not None else (None, None)


def record(organisation: Organisation, action: str, subject: str = "", **details) -> AuditEvent:
    user_id, token_id = current_actor()
    event = AuditEvent(organisation_id=organisation.id, user_id=user_id, api_token_id=token_id,
                       action=action, subject=subject[:200], details=details)
    db.session.add(event)
    db.session.flush()
    return event


def recent_events(organisation: Organisation, limit: int = 200) -> list[AuditEvent]:
    return list(db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.organisation_id == organisation.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ))
