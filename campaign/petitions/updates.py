"""Updates before they are mailed: who they go to (a segment of the consenting signers), when
(a time to send them), and editing or deleting them until their mailing has begun."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from campaign.errors import CampaignError, Conflict
from campaign.extensions import db
from campaign.geography import is_country_code
from campaign.markdown import render_markdown, tidy_line
from campaign.petitions.models import PetitionUpdate
from campaign.types import utcnow

SOURCE_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Segment:
    """Which consenting signers an update goes to; an empty segment means all of them.
    Within a criterion any value matches (FR or DE); criteria combine (FR, and signed after
    1 May). Dates are of confirmation, in UTC: `signed_after` includes its day,
    `signed_before` does not."""

    countries: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    signed_after: date | None = None
    signed_before: date | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> Segment:
        """A segment from a change set or from what an update stores; checked."""
        data = dict(data or {})
        unknown = set(data) - {"countries", "sources", "languages", "signed_after",
                               "signed_before"}
        if unknown:
            raise CampaignError(_("Unknown segment criteria: %(names)s.",
                                  names=", ".join(sorted(unknown))))
        segment = cls(
            countries=_codes(data.get("countries"), str.upper),
            sources=_codes(data.get("sources"), str),
            languages=_codes(data.get("languages"), str.lower),
            signed_after=_day(data.get("signed_after")),
            signed_before=_day(data.get("signed_before")))
        if any(not is_country_code(code) for code in segment.countries):
            raise CampaignError(_("Choose countries from the list."))
        if any(not SOURCE_CODE.match(code) for code in segment.sources):
            raise CampaignError(_("A source is a tracking code of letters, digits, dots, "
                                  "hyphens and underscores."))
        if any(not LANGUAGE_CODE.match(code) for code in segment.languages):
            raise CampaignError(_("A language is a code such as en, fr or hy."))
        if segment.signed_after and segment.signed_before and (
                segment.signed_after >= segment.signed_before):
            raise CampaignError(_("“Signed after” must come before “signed before”."))
        return segment

    def to_data(self) -> dict[str, Any]:
        """What the update stores (JSON): only the criteria set."""
        data: dict[str, Any] = {}
        for name in ("countries", "sources", "languages"):
            if getattr(self, name):
                data[name] = list(getattr(self, name))
        for name in ("signed_after", "signed_before"):
            if getattr(self, name):
                data[name] = getattr(self, name).isoformat()
        return data


def _codes(values, tidy) -> tuple[str, ...]:
    if isinstance(values, str):
        values = values.replace(",", " ").split()
    return tuple(sorted({tidy(v.strip()) for v in values or () if v and v.strip()}))


def _day(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CampaignError(_("Give dates as YYYY-MM-DD.")) from None


UPDATE_FIELDS = ("title", "body_markdown", "mail_signers", "segment", "send_after")


def checked_update_values(changes: Mapping[str, Any]) -> dict[str, Any]:
    """A change set of an update, tidied and checked (shared by posting and editing)."""
    unknown = set(changes) - set(UPDATE_FIELDS)
    if unknown:
        raise CampaignError(_("Unknown update fields: %(names)s.",
                              names=", ".join(sorted(unknown))))
    values = dict(changes)
    if "title" in values:
        values["title"] = tidy_line(values["title"])
        if not values["title"]:
            raise CampaignError(_("An update needs a title."))
    if "segment" in values:
        values["segment"] = Segment.from_data(values["segment"]).to_data()
    send_after = values.get("send_after")
    if send_after is not None and not isinstance(send_after, datetime):
        raise CampaignError(_("Give the time to send as a date and time."))
    return values


def _locked(update: PetitionUpdate) -> PetitionUpdate:
    """The update, locked against the worker that mails it (which holds the same lock while it
    queues a batch), and refused once its mailing has begun."""
    locked = db.session.scalar(
        db.select(PetitionUpdate).where(PetitionUpdate.id == update.id)
        .with_for_update().execution_options(populate_existing=True))
    if locked.mailing_started:
        raise Conflict(_("This update has been mailed to signers and can no longer be changed "
                         "or deleted."))
    return locked


def edit_update(update: PetitionUpdate, changes: Mapping[str, Any]) -> list[str]:
    """Apply a change set to an update whose mailing has not begun (a field left out stays
    as it is; `mail_signers` requests or cancels its mailing); return what changed."""
    values = checked_update_values(changes)
    update = _locked(update)
    if "mail_signers" in values:
        values["mail_requested"] = bool(values.pop("mail_signers"))
    changed = [name for name, value in values.items() if getattr(update, name) != value]
    for name in changed:
        setattr(update, name, values[name])
    if "body_markdown" in changed:
        update.body_html = render_markdown(update.body_markdown)
    db.session.flush()
    return changed


def delete_update(update: PetitionUpdate) -> None:
    """Delete an update whose mailing has not begun."""
    db.session.delete(_locked(update))
    db.session.flush()


def due_for_mailing(now: datetime | None = None):
    """The query condition for updates waiting to be mailed now."""
    now = now or utcnow()
    return (PetitionUpdate.mail_requested.is_(True) & PetitionUpdate.mailing_done_at.is_(None)
            & (PetitionUpdate.send_after.is_(None) | (PetitionUpdate.send_after <= now)))
