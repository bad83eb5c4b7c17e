"""The rules for petitions: creating them, opening and closing them, finding public ones."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from flask_babel import gettext as _

from campaign.accounts.models import Organisation, User
from campaign.errors import CampaignError, Conflict, NotFound
from campaign.extensions import db
from campaign.markdown import render_markdown, tidy_line, tidy_text
from campaign.petitions.models import (
    Addressee,
    Demand,
    Milestone,
    Petition,
    PetitionAddressee,
    PetitionRevision,
    PetitionState,
    PetitionUpdate,
    Reference,
    accepts_signatures,
    taking_signatures,
)
from campaign.petitions.updates import checked_update_values
from campaign.types import utcnow

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class AddresseeData:
    office_title: str
    holder_name: str | None = None
    institution: str | None = None
    holder_since: date | None = None


@dataclass(frozen=True)
class ReferenceData:
    title: str
    url: str | None = None


def find_or_create_addressee(data: AddresseeData) -> Addressee:
    """The directory entry for this office and holder, created if it is not there yet."""
    addressee = db.session.scalar(
        db.select(Addressee).where(
            Addressee.office_title == data.office_title,
            Addressee.holder_name.is_(None) if data.holder_name is None
            else Addressee.holder_name == data.holder_name,
        )
    )
    if addressee is None:
        addressee = Addressee(
            office_title=data.office_title,
            holder_name=data.holder_name,
            institution=data.institution,
            holder_since=data.holder_since,
        )
        db.session.add(addressee)
        db.session.flush()
    return addressee


def create_petition(organisation: Organisation, *, slug: str, title: str,
                    **fields: Any) -> Petition:
    """A new draft at the address `slug`; the other fields are those of `edit_petition`
    (addressees may be given as AddresseeData: they are found or added to the directory)."""
    if not SLUG_PATTERN.match(slug) or len(slug) > 80:
        raise CampaignError(
            _("The address must use lower-case letters, digits and single hyphens only.")
        )
    if db.session.scalar(db.select(Petition.id).where(Petition.slug == slug)) is not None:
        raise Conflict(_("Another petition already uses the address %(slug)s.", slug=slug))
    values = _tidied({"title": title, **fields})
    petition = Petition(organisation=organisation, slug=slug, title=values["title"],
                        state=PetitionState.DRAFT, body_html="")
    db.session.add(petition)
    db.session.flush()
    edit_petition(petition, values)
    return petition


def open_petition(petition: Petition, when: datetime | None = None) -> None:
    if petition.state == PetitionState.CLOSED:
        raise Conflict(_("A closed petition cannot be opened again."))
    if petition.closes_at is not None and petition.closes_at <= (when or utcnow()):
        raise Conflict(_("The closing date has passed: change it before publishing."))
    petition.state = PetitionState.OPEN
    petition.opened_at = petition.opened_at or when or utcnow()
    db.session.flush()


def close_petition(petition: Petition, when: datetime | None = None) -> None:
    """Stop taking signatures. A petition already past its closing time is recorded as
    closed at that time, which is when it stopped."""
    if petition.state != PetitionState.OPEN:
        raise Conflict(_("Only an open petition can be closed."))
    petition.closed_at = petition.ended_at or when or utcnow()
    petition.state = PetitionState.CLOSED
    db.session.flush()


def get_public_petition(slug: str) -> Petition:
    """An open or closed petition by its address; drafts are not public."""
    petition = db.session.scalar(
        db.select(Petition).where(
            Petition.slug == slug, Petition.state != PetitionState.DRAFT
        )
    )
    if petition is None:
        raise NotFound(_("There is no public petition at this address."))
    return petition


@dataclass(frozen=True)
class PetitionHead:
    """What signing and confirming need to know about a petition, read in one light query
    instead of loading the whole petition."""

    id: int
    slug: str
    title: str
    state: PetitionState
    closes_at: datetime | None
    goal: int | None
    organisation_id: int
    organisation_name: str
    signer_safety: bool = False
    # The lowest milestone not reached yet: confirming looks for milestones only when there
    # is one, and only then reads the count.
    next_milestone: int | None = None

    @classmethod
    def of(cls, petition: Petition) -> PetitionHead:
        pending = [m.threshold for m in petition.milestones if m.reached_at is None]
        return cls(petition.id, petition.slug, petition.title, petition.state,
                   petition.closes_at, petition.goal, petition.organisation_id,
                   petition.organisation.name, bool(petition.signer_safety),
                   min(pending, default=None))

    def accepts_signatures(self, now: datetime | None = None) -> bool:
        return accepts_signatures(self.state, self.closes_at, now)


_petitions, _organisations = Petition.__table__, Organisation.__table__
# Table columns, not ORM attributes: these run on every signature, where the ORM's loading
# machinery cost more than the query.
_milestones = Milestone.__table__
HEAD_COLUMNS = (_petitions.c.id, _petitions.c.slug, _petitions.c.title, _petitions.c.state,
                _petitions.c.closes_at, _petitions.c.goal, _petitions.c.organisation_id,
                _organisations.c.name, _petitions.c.signer_safety,
                db.select(db.func.min(_milestones.c.threshold))
                .where(_milestones.c.petition_id == _petitions.c.id,
                       _milestones.c.reached_at.is_(None))
                .scalar_subquery().label("next_milestone"))
HEAD_FROM = _petitions.join(_organisations, _organisations.c.id == _petitions.c.organisation_id)
_HEAD_BY_SLUG = (db.select(*HEAD_COLUMNS).select_from(HEAD_FROM)
                 .where(_petitions.c.slug == db.bindparam("slug"),
                        _petitions.c.state != PetitionState.DRAFT))


def public_petition_head(slug: str) -> PetitionHead:
    """The head of an open or closed petition by its address; drafts are not public."""
    row = db.session.connection().execute(_HEAD_BY_SLUG, {"slug": slug}).first()
    if row is None:
        raise NotFound(_("There is no public petition at this address."))
    return PetitionHead(*row)


def get_public_petition_by_id(petition_id: int) -> Petition:
    petition = db.session.get(Petition, petition_id)
    if petition is None or petition.state == PetitionState.DRAFT:
        raise NotFound(_("There is no public petition with this id."))
    return petition


def open_petitions() -> list[Petition]:
    return list(
        db.session.scalars(
            db.select(Petition)
            .where(taking_signatures())
            .order_by(Petition.opened_at.desc(), Petition.id.desc())
        )
    )


# The fields a change set may hold, as the service takes them. A closing time is given as a
# moment (closes_at) or as a day (closes_on: the end of that day, UTC).
PETITION_FIELDS = ("title", "summary", "body_markdown", "demands", "references", "addressees",
                   "goal", "closes_at", "language", "remind_unconfirmed", "thank_signers")
DAY_ENDS = time(23, 59, 59)
# The text people sign: changing it on a public petition keeps a revision.
SIGNED_TEXT = ("title", "summary", "body_markdown", "demands")


def _stored(petition: Petition, name: str):
    """A field's current value, tidied the way a new value is, so that text stored before
    tidying (CRLF line breaks, trailing spaces) compares equal to the same text sent again."""
    if name == "demands":
        return [tidy_line(d.text) for d in petition.demands]
    if name == "references":
        return [ReferenceData(tidy_line(r.title), r.url) for r in petition.references]
    if name == "addressees":
        return [link.addressee_id for link in petition.addressee_links]
    if name == "body_markdown":
        return tidy_text(petition.body_markdown)
    if name in ("title", "summary"):
        return tidy_line(getattr(petition, name))
    return getattr(petition, name)


def _resolve_addressees(chosen: Sequence[int | Addressee | AddresseeData]) -> list[Addressee]:
    ids = [item for item in chosen if isinstance(item, int)]
    found = {a.id: a for a in db.session.scalars(db.select(Addressee).where(
        Addressee.id.in_(ids)))} if ids else {}
    if set(ids) - set(found):
        raise CampaignError(_("A decision maker you chose is no longer in the directory."))
    resolved: dict[int, Addressee] = {}
    for item in chosen:
        if isinstance(item, int):
            addressee = found[item]
        elif isinstance(item, AddresseeData):
            addressee = find_or_create_addressee(item)
        else:
            addressee = item
        resolved.setdefault(addressee.id, addressee)  # a repeat counts once, where first given
    return list(resolved.values())


def _closing(day: date | None, current: datetime | None) -> datetime | None:
    """The closing moment for a day chosen in a form: a petition that already closes that day
    keeps its time."""
    if day is None:
        return None
    if current is not None and current.date() == day:
        return current
    return datetime.combine(day, DAY_ENDS, tzinfo=UTC)


def _tidied(changes: Mapping[str, Any], petition: Petition | None = None) -> dict[str, Any]:
    changes = dict(changes)
    if "closes_on" in changes:
        changes["closes_at"] = _closing(changes.pop("closes_on"),
                                        petition.closes_at if petition else None)
    unknown = set(changes) - set(PETITION_FIELDS)
    if unknown:
        raise CampaignError(_("Unknown petition fields: %(names)s.",
                              names=", ".join(sorted(unknown))))
    values = dict(changes)
    for name in ("title", "summary"):
        if name in values:
            values[name] = tidy_line(values[name])
    if "title" in values and not values["title"]:
        raise CampaignError(_("A petition needs a title."))
    if "body_markdown" in values:
        values["body_markdown"] = tidy_text(values["body_markdown"])
    if "demands" in values:
        values["demands"] = [tidy_line(text) for text in values["demands"] if tidy_line(text)]
    if "references" in values:
        values["references"] = [ReferenceData(tidy_line(r.title), r.url or None)
                                for r in values["references"]]
    if "goal" in values and values["goal"] is not None and values["goal"] <= 0:
        raise CampaignError(_("The goal must be a positive number of signatures."))
    return values


def edit_petition(petition: Petition, changes: Mapping[str, Any], *,
                  editor: User | None = None) -> list[str]:
    """Apply a change set (field name -> new value; a field left out stays as it is) and
    return the names of the fields whose value really changed.

    Text is tidied before it is compared and stored, so a browser sending CRLF line breaks
    changes nothing. Once a petition is public, people may have signed its text: if the text
    changed, the text as it was is kept as a revision, and the public page says when it was
    edited. A change of date, goal or addressees alone keeps no revision.
    """
    values = _tidied(changes, petition)
    addressees = None
    if "addressees" in values:
        addressees = _resolve_addressees(values["addressees"])
        values["addressees"] = [a.id for a in addressees]
    changed = [name for name in PETITION_FIELDS
               if name in values and values[name] != _stored(petition, name)]
    if not changed:
        return []
    if petition.state != PetitionState.DRAFT and set(changed) & set(SIGNED_TEXT):
        petition.revisions.append(PetitionRevision(
            title=petition.title, summary=petition.summary,
            body_markdown=petition.body_markdown, demands=[d.text for d in petition.demands],
            edited_by_id=editor.id if editor else None))
    for name in changed:
        value = values[name]
        if name == "demands":
            petition.demands = [Demand(position=i, text=t) for i, t in enumerate(value)]
        elif name == "references":
            petition.references = [Reference(position=i, title=r.title, url=r.url)
                                   for i, r in enumerate(value)]
        elif name == "addressees":
            set_addressees(petition, addressees)
        else:
            setattr(petition, name, value)
    if "body_markdown" in changed:
        petition.body_html = render_markdown(petition.body_markdown)
    db.session.flush()
    return changed


def set_addressees(petition: Petition, addressees: Sequence[Addressee]) -> None:
    """Address the petition to these addressees, in this order; repeats count once."""
    unique: dict[int, Addressee] = {}
    for addressee in addressees:
        unique.setdefault(addressee.id, addressee)
    addressees = list(unique.values())
    current = [link.addressee_id for link in petition.addressee_links]
    wanted = [a.id for a in addressees]
    if current == wanted:
        return
    petition.addressee_links.clear()
    db.session.flush()  # the unique (petition, addressee) pairs must be gone before re-adding
    for position, addressee in enumerate(addressees):
        petition.addressee_links.append(PetitionAddressee(addressee=addressee, position=position))


def addressee_directory() -> list[Addressee]:
    return list(db.session.scalars(
        db.select(Addressee).order_by(Addressee.office_title, Addressee.holder_name)))


OUTCOME_FIELDS = ("delivered_on", "delivered_note", "won_on", "won_note")


def record_outcomes(petition: Petition, changes: Mapping[str, Any]) -> list[str]:
    """Record that the petition was delivered, won, or both, each with its date and an
    optional note; clearing a date clears its note. Returns the fields that changed."""
    if petition.state == PetitionState.DRAFT:
        raise Conflict(_("Publish the petition before recording what became of it."))
    values = {name: changes[name] for name in OUTCOME_FIELDS if name in changes}
    for kind in ("delivered", "won"):
        day, note = f"{kind}_on", f"{kind}_note"
        if note in values:
            values[note] = tidy_text(values[note]) or None
        if day in values and values[day] is not None and values[day] > utcnow().date():
            raise CampaignError(_("An outcome cannot be dated in the future."))
        if values.get(day, getattr(petition, day)) is None:
            if values.get(note):
                raise CampaignError(_("Give the date of the outcome."))
            if day in values:
                values[note] = None
    changed = [name for name, value in values.items() if getattr(petition, name) != value]
    for name in changed:
        setattr(petition, name, values[name])
    db.session.flush()
    return changed


def post_update(petition: Petition, *, title: str, body_markdown: str, author: User | None,
                mail_signers: bool, segment: Mapping[str, Any] | None = None,
                send_after: datetime | None = None) -> PetitionUpdate:
    """Post news on the petition; with `mail_signers`, it is mailed to the consenting signers
    (of `segment` only, if given) from `send_after` on (at once if None)."""
    if petition.state == PetitionState.DRAFT:
        raise Conflict(_("Publish the petition before posting updates on it."))
    values = checked_update_values({"title": title, "segment": segment or {},
                                    "send_after": send_after})
    update = PetitionUpdate(petition=petition, title=values["title"],
                            body_markdown=body_markdown, body_html=render_markdown(body_markdown),
                            author_id=author.id if author else None,
                            mail_requested=mail_signers, segment=values["segment"],
                            send_after=send_after)
    db.session.add(update)
    db.session.flush()
    return update
