"""Organisers' work on signatures: search them, invalidate them by criteria (with a preview
and a reason), and undo an invalidation. Counters follow in the same transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_

from campaign.accounts.models import User
from campaign.errors import CampaignError, Conflict
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.signatures import counters
from campaign.signatures.models import Signature, SignatureInvalidation, SignatureState
from campaign.signatures.services import remember_goal_shown
from campaign.types import utcnow

CHUNK = 1000


@dataclass(frozen=True)
class SignatureFilter:
    """What an organiser searches by; empty fields do not narrow the search."""

    text: str = ""          # part of a name or an email
    email_domain: str = ""  # e.g. "mailinator.com"
    country: str = ""
    state: str = ""
    source: str = ""
    since: date | None = None
    until: date | None = None

    def is_empty(self) -> bool:
        return not any(asdict(self).values())

    def describe(self) -> dict:
        return {key: (value.isoformat() if isinstance(value, date) else value)
                for key, value in asdict(self).items() if value}

    @classmethod
    def from_description(cls, described: dict) -> SignatureFilter:
        values = dict(described)
        for key in ("since", "until"):
            if values.get(key):
                values[key] = date.fromisoformat(values[key])
        return cls(**{key: value for key, value in values.items()
                      if key in cls.__dataclass_fields__})


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(petition: Petition, criteria: SignatureFilter):
    query = db.select(Signature).where(Signature.petition_id == petition.id)
    if criteria.text:
        pattern = f"%{_escape_like(criteria.text.lower())}%"
        query = query.where(or_(db.func.lower(Signature.full_name).like(pattern, escape="\\"),
                                Signature.email_normalised.like(pattern, escape="\\")))
    if criteria.email_domain:
        domain = criteria.email_domain.lower().lstrip("@")
        query = query.where(Signature.email_normalised.like(f"%@{_escape_like(domain)}",
                                                            escape="\\"))
    if criteria.country:
        query = query.where(Signature.country == criteria.country.upper())
    if criteria.state:
        query = query.where(Signature.state == SignatureState(criteria.state))
    if criteria.source:
        query = query.where(Signature.source == criteria.source)
    return query.where(*day_bounds(Signature.created_at, criteria.since, criteria.until))


def day_bounds(column, since: date | None, until: date | None) -> list:
    """Conditions keeping `column` within the UTC days from `since` to `until`, both
    included; the last day of the calendar (9999-12-31) leaves the range open."""
    conditions = []
    if since:
        conditions.append(column >= datetime.combine(since, time(), tzinfo=UTC))
    if until and until < date.max:
        conditions.append(column < datetime.combine(until + timedelta(days=1), time(),
                                                    tzinfo=UTC))
    return conditions


INVALIDATABLE = (SignatureState.CONFIRMED, SignatureState.PENDING)


@dataclass(frozen=True)
class Preview:
    """What an invalidation would take out: the count, and the newest signature it saw, so
    that acting on the preview never reaches a signature that arrived after it."""

    count: int
    up_to_id: int


def _targets(petition: Petition, criteria: SignatureFilter, up_to_id: int | None = None):
    query = filtered(petition, criteria).where(Signature.state.in_(INVALIDATABLE))
    return query if up_to_id is None else query.where(Signature.id <= up_to_id)


def preview_invalidation(petition: Petition, criteria: SignatureFilter,
                         up_to_id: int | None = None) -> Preview:
    """How many signatures an invalidation with these criteria would take out."""
    if up_to_id is None:
        up_to_id = db.session.scalar(db.select(db.func.max(Signature.id)).where(
            Signature.petition_id == petition.id)) or 0
    query = _targets(petition, criteria, up_to_id)
    count = db.session.scalar(db.select(db.func.count()).select_from(query.subquery())) or 0
    return Preview(count, up_to_id)


def _count_changes(rows, sign: int, petition_id: int) -> None:
    confirmed = Counter()
    pending = 0
    for _id, state, country, confirmed_at, source in rows:
        if state == SignatureState.CONFIRMED:
            confirmed[(country, confirmed_at.date(), source)] += 1
        elif state == SignatureState.PENDING:
            pending += 1
    for (country, day, source), count in confirmed.items():
        counters.add_to_counts(petition_id, country=country, day=day, source=source,
                               delta=sign * count)
    if pending:
        counters.add_pending(petition_id, sign * pending)


def _locked_rows(query):
    columns = (Signature.id, Signature.state, Signature.country, Signature.confirmed_at,
               Signature.source)
    return db.session.execute(
        query.with_only_columns(*columns).order_by(Signature.id).with_for_update()
    ).all()


def invalidate(petition: Petition, criteria: SignatureFilter, reason: str,
               by: User | None, previewed: Preview | None = None) -> SignatureInvalidation:
    """Take every confirmed or pending signature matching `criteria` out of the count.

    With `previewed`, only signatures up to the newest one the preview saw are touched, and
    nothing happens unless exactly as many match as the preview counted."""
    if criteria.is_empty():
        raise CampaignError(_("Choose at least one criterion: an invalidation never takes out "
                              "every signature at once."))
    reason = (reason or "").strip()
    if not reason:
        raise CampaignError(_("Give the reason for the invalidation."))
    rows = _locked_rows(_targets(petition, criteria,
                                 previewed.up_to_id if previewed else None))
    if not rows:
        raise Conflict(_("No signature matches these criteria."))
    if previewed is not None and len(rows) != previewed.count:
        raise Conflict(_("%(now)s signatures match now, not the %(then)s counted: the "
                         "signatures changed since. Count them again before invalidating.",
                         now=len(rows), then=previewed.count))
    remember_goal_shown(petition)
    invalidation = SignatureInvalidation(
        petition_id=petition.id, criteria=criteria.describe(), reason=reason[:500],
        count=len(rows), created_by_id=by.id if by else None)
    db.session.add(invalidation)
    db.session.flush()
    _count_changes(rows, -1, petition.id)
    now = utcnow()
    ids = [row[0] for row in rows]
    for start in range(0, len(ids), CHUNK):
        db.session.execute(
            db.update(Signature)
            .where(Signature.id.in_(ids[start:start + CHUNK]))
            .values(state=SignatureState.INVALIDATED, invalidated_at=now,
                    invalidation_reason=reason[:500], invalidation_id=invalidation.id,
                    modified_at=now)
        )
    db.session.flush()
    return invalidation


def undo_invalidation(invalidation: SignatureInvalidation, by: User | None) -> int:
    """Restore what an invalidation took out: confirmed ones count again, pending ones wait."""
    if invalidation.undone_at is not None:
        raise Conflict(_("This invalidation has already been undone."))
    query = db.select(Signature).where(Signature.invalidation_id == invalidation.id,
                                       Signature.state == SignatureState.INVALIDATED)
    rows = _locked_rows(query)
    now = utcnow()
    # Signatures that had been confirmed keep their confirmation time; the others were pending.
    restored = [(i, SignatureState.CONFIRMED if confirmed_at else SignatureState.PENDING,
                 country, confirmed_at, source)
                for i, _state, country, confirmed_at, source in rows]
    _count_changes(restored, +1, invalidation.petition_id)
    for start in range(0, len(rows), CHUNK):
        chunk = [row[0] for row in rows[start:start + CHUNK]]
        for state, has_confirmation in ((SignatureState.CONFIRMED, True),
                                        (SignatureState.PENDING, False)):
            column = Signature.confirmed_at
            db.session.execute(
                db.update(Signature)
                .where(Signature.id.in_(chunk),
                       column.is_not(None) if has_confirmation else column.is_(None))
                .values(state=state, invalidated_at=None, invalidation_reason=None,
                        invalidation_id=None, modified_at=now)
            )
    invalidation.undone_at = now
    invalidation.undone_by_id = by.id if by else None
    db.session.flush()
    return len(rows)


def invalidations(petition: Petition) -> list[SignatureInvalidation]:
    return list(db.session.scalars(
        db.select(SignatureInvalidation)
        .where(SignatureInvalidation.petition_id == petition.id)
        .order_by(SignatureInvalidation.created_at.desc())
    ))
