"""Signals other domains listen to (webhooks), sent inside the transaction that caused them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the Signature just counted
signature_confirmed = _signals.signal("signature-confirmed")
