"""Milestones: thresholds of confirmed signatures (such as 10,000 for a response and 100,000
for a debate), each with what happens when the petition reaches it: a mail to the organisers,
a webhook event, a line on the page. Reaching one is recorded exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import update

from campaign.accounts.models import Membership, Role, User
from campaign.errors import CampaignError, Conflict
from campaign.extensions import db
from campaign.mail.services import queue_templated
from campaign.markdown import tidy_line
from campaign.petitions.events import ReachedMilestone, milestone_reached
from campaign.petitions.models import Milestone, Petition
from campaign.types import utcnow
from campaign.urls import external_url

MAX_THRESHOLD = 1_000_000_000


@dataclass(frozen=True)
class MilestoneData:
    """One milestone as a form or the API gives it."""

    threshold: int
    notify_organisers: bool = True
    send_webhook: bool = True
    page_note: str | None = None


def set_milestones(petition: Petition, wanted: Sequence[MilestoneData]) -> list[int]:
    """Make the petition's milestones these (a change set of the whole list, as an edit form
    sends it); return the thresholds added, changed or removed. A milestone already reached
    is the record of what happened: its threshold stays, only its page line may change."""
    by_threshold: dict[int, MilestoneData] = {}
    for item in wanted:
        if not 0 < item.threshold <= MAX_THRESHOLD:
            raise CampaignError(_("A milestone is a number of signatures between 1 and "
                                  "%(most)s.", most=MAX_THRESHOLD))
        if item.threshold in by_threshold:
            raise CampaignError(_("Two milestones have the threshold %(n)s.", n=item.threshold))
        by_threshold[item.threshold] = item
    current = {m.threshold: m for m in petition.milestones}
    gone = [m for t, m in current.items() if t not in by_threshold]
    reached = [m.threshold for m in gone if m.reached_at is not None]
    if reached:
        raise Conflict(_("The milestone at %(n)s was reached on %(day)s and stays on record.",
                         n=reached[0], day=current[reached[0]].reached_at.date().isoformat()))
    changed = []
    for milestone in gone:
        petition.milestones.remove(milestone)
        changed.append(milestone.threshold)
    for threshold, item in sorted(by_threshold.items()):
        values = {"notify_organisers": item.notify_organisers,
                  "send_webhook": item.send_webhook,
                  "page_note": tidy_line(item.page_note or "") or None}
        milestone = current.get(threshold)
        if milestone is None:
            petition.milestones.append(Milestone(threshold=threshold, **values))
            changed.append(threshold)
        elif any(getattr(milestone, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(milestone, name, value)
            changed.append(threshold)
    db.session.flush()
    return sorted(changed)


def reach_milestones(petition_id: int, count: int,
                     now: datetime | None = None) -> list[ReachedMilestone]:
    """Record every milestone of the petition at or below `count` that is not reached yet, and
    do what each asks; return the ones this call reached.

    This is the one place milestones are detected: the confirming transaction calls it, and
    so does anything else that counts signatures. A conditional UPDATE records each one, so of
    any number of transactions calling this at once, exactly one reaches a given milestone
    (the others wait for its row and then find it reached)."""
    now = now or utcnow()
    table = Milestone.__table__
    rows = db.session.execute(
        update(table)
        .where(table.c.petition_id == petition_id, table.c.reached_at.is_(None),
               table.c.threshold <= count)
        .values(reached_at=now, reached_count=count)
        .returning(table.c.threshold, table.c.notify_organisers, table.c.send_webhook)
    ).all()
    if not rows:
        return []
    petition = db.session.get(Petition, petition_id)
    reached = []
    for threshold, notify, webhook in sorted(rows):
        event = ReachedMilestone(petition_id=petition_id, petition_slug=petition.slug,
                                 organisation_id=petition.organisation_id, threshold=threshold,
                                 signature_count=count, reached_at=now, send_webhook=webhook)
        if notify:
            _mail_organisers(petition, event)
        milestone_reached.send(event)
        reached.append(event)
    for loaded in list(db.session.identity_map.values()):
        if isinstance(loaded, Milestone) and loaded.petition_id == petition_id:
            db.session.expire(loaded)  # the ORM's copy is out of date now
    return reached


def _mail_organisers(petition: Petition, event: ReachedMilestone) -> None:
    """Tell the organisation's owners and editors, each in a mail of their own."""
    members = db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == petition.organisation_id,
               Membership.role.in_([Role.OWNER, Role.EDITOR]))
        .order_by(User.id))
    url = external_url("public.pages.petition", slug=petition.slug)
    for user in members:
        queue_templated(
            kind="petition.milestone", recipient=user.email,
            subject=_("%(title)s has reached %(n)s signatures", title=petition.title,
                      n=format_decimal(event.threshold)),
            template="milestone", organisation_id=petition.organisation_id,
            petition=petition, milestone=event, petition_url=url)


def next_milestone(petition: Petition) -> Milestone | None:
    """The lowest milestone not reached yet, for the page's "next: 10,000 for a response"."""
    return next((m for m in petition.milestones if m.reached_at is None), None)


def reached_milestones(petition: Petition) -> list[Milestone]:
    """The milestones reached, lowest first: each with its date and its line for the page."""
    return [m for m in petition.milestones if m.reached_at is not None]


def page_lines(petition: Petition) -> list[str]:
    """The lines the page shows for the milestones reached (those that have one)."""
    return [m.page_note for m in reached_milestones(petition) if m.page_note]
