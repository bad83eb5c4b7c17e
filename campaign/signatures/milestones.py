"""Counting toward milestones: after a confirmation, and in the mail worker's rounds, the
count is compared with the petition's milestones (detection itself is
`campaign.petitions.milestones.reach_milestones`)."""

from __future__ import annotations

from campaign.extensions import db
from campaign.petitions.milestones import reach_milestones
from campaign.petitions.models import Milestone
from campaign.signatures import counters


def check_milestones(petition_id: int, lowest_pending: int | None = None) -> int:
    """Reach the milestones the petition's count has passed; return how many this reached.
    `lowest_pending` (the lowest threshold not reached yet, when the caller knows it) spares
    the UPDATE while the count is below it."""
    count = counters.signature_count(petition_id)
    if lowest_pending is not None and count < lowest_pending:
        return 0
    return len(reach_milestones(petition_id, count))


def reach_due_milestones() -> int:
    """Reach every milestone whose petition's count has passed it; return how many.

    Confirmations that cross a threshold at the same moment each count in a transaction that
    cannot see the others' uncommitted signatures, so each may read a count below it; this
    round, run by the mail worker after they commit, reaches what they missed. (The
    conditional UPDATE in `reach_milestones` still records each milestone once.)"""
    table = Milestone.__table__
    lowest = dict(db.session.execute(
        db.select(table.c.petition_id, db.func.min(table.c.threshold))
        .where(table.c.reached_at.is_(None)).group_by(table.c.petition_id)).all())
    reached = 0
    counts = counters.signature_counts(lowest)
    for petition_id, threshold in lowest.items():
        count = counts.get(petition_id, 0)
        if count >= threshold:
            reached += len(reach_milestones(petition_id, count))
    db.session.flush()
    return reached
