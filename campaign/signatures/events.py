"""Signals other domains listen to (webhooks), sent inside the transaction that caused them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from blinker import Namespace

_signals = Namespace()


@dataclass(frozen=True)
class ConfirmedSignature:
    """What listeners learn about a signature just counted: no personal data."""

    id: int
    petition_id: int
    petition_slug: str
    petition_goal: int | None
    organisation_id: int
    country: str
    source: str | None
    confirmed_at: datetime


# sender: a ConfirmedSignature
signature_confirmed = _signals.signal("signature-confirmed")
