"""Signals about petitions that other domains listen to (webhooks), sent inside the
transaction that caused them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from blinker import Namespace

_signals = Namespace()


@dataclass(frozen=True)
class ReachedMilestone:
    """A milestone a petition has just reached, recorded once."""

    petition_id: int
    petition_slug: str
    organisation_id: int
    threshold: int
    signature_count: int
    reached_at: datetime
    send_webhook: bool


# sender: a ReachedMilestone
milestone_reached = _signals.signal("milestone-reached")
