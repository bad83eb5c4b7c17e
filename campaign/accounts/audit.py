"""The audit log: one call records who did what in the current organisation, whether a
person did it in the organisers' pages or a program through the API with a key."""

from __future__ import annotations

from flask import g, has_request_context
from flask_login import current_user

from campaign.accounts.models import AuditEvent, Organisation
from campaign.extensions import db


def record(organisation: Organisation, action: str, subject: str = "", **details) -> AuditEvent:
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    token = g.get("api_token") if has_request_context() else None
    event = AuditEvent(organisation_id=organisation.id, user_id=user_id,
                       api_token_id=token.id if token is not None else None, action=action,
                       subject=subject[:200], details=details)
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
