"""The mail the worker produces in batches, in the order it runs them: milestones first
(organisers are waiting), then reminders and thank-yous, then updates."""

from __future__ import annotations

from campaign.signatures.followups import queue_reminders, queue_thanks
from campaign.signatures.milestones import reach_due_milestones
from campaign.signatures.updates import send_pending_update_mail

MAIL_PRODUCERS = (reach_due_milestones, queue_reminders, queue_thanks, send_pending_update_mail)
