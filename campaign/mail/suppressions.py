"""The suppression list: addresses that get no more mail because they bounced for good, their
owner complained, or an organiser added them. Delivery checks it for every message."""

from __future__ import annotations

from campaign.extensions import db
from campaign.mail.models import Suppression

REASONS = ("bounce", "complaint", "manual")


def suppression_key(address: str) -> str:
    """An address as the list stores and compares it (SQL's lower() agrees for ASCII)."""
    return address.strip().strip("<>").lower()


def is_suppressed(address: str) -> bool:
    return db.session.scalar(db.select(Suppression.id).where(
        Suppression.address == suppression_key(address))) is not None


def suppress(address: str, reason: str, *, detail: str | None = None,
             organisation_id: int | None = None) -> Suppression:
    """Put an address on the list (once: a later bounce or complaint keeps the first entry,
    except that a complaint, the stronger reason, replaces a bounce)."""
    if reason not in REASONS:
        raise ValueError(f"reason must be one of {REASONS}")
    key = suppression_key(address)
    entry = db.session.scalar(db.select(Suppression).where(Suppression.address == key))
    if entry is None:
        entry = Suppression(address=key, reason=reason, detail=(detail or "")[:300] or None,
                            organisation_id=organisation_id)
        db.session.add(entry)
    elif reason == "complaint" and entry.reason != "complaint":
        entry.reason, entry.detail = reason, (detail or "")[:300] or None
    db.session.flush()
    return entry


def suppressions_for(organisation_id: int, limit: int = 500) -> list[Suppression]:
    """The entries an organisation sees: those its own mail caused or it added, newest
    first. Another organisation's bounced addresses are never shown."""
    return list(db.session.scalars(
        db.select(Suppression).where(Suppression.organisation_id == organisation_id)
        .order_by(Suppression.created_at.desc(), Suppression.id.desc()).limit(limit)))


def lift_suppression(organisation_id: int, suppression_id: int) -> bool:
    """Take an organisation's entry off the list (the address works again); False if it has
    no such entry."""
    entry = db.session.get(Suppression, suppression_id)
    if entry is None or entry.organisation_id != organisation_id:
        return False
    db.session.delete(entry)
    db.session.flush()
    return True
