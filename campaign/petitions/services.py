"""The rules for petitions: creating them, opening and closing them, finding public ones."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from campaign.accounts.models import Organisation, User
from campaign.errors import CampaignError, Conflict, NotFound
from campaign.extensions import db
from campaign.markdown import render_markdown
from campaign.petitions.models import (
    Addressee,
    Demand,
    Outcome,
    Petition,
    PetitionAddressee,
    PetitionRevision,
    PetitionState,
    PetitionUpdate,
    Reference,
    accepts_signatures,
)
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


def create_petition(
    organisation: Organisation,
    *,
    slug: str,
    title: str,
    summary: str = "",
    body_markdown: str = "",
    addressees: Sequence[AddresseeData] = (),
    demands: Sequence[str] = (),
    references: Sequence[ReferenceData] = (),
    goal: int | None = None,
    language: str = "en",
    closes_at: datetime | None = None,
) -> Petition:
    if not SLUG_PATTERN.match(slug) or len(slug) > 80:
        raise CampaignError(
            _("The address must use lower-case letters, digits and single hyphens only.")
        )
    if db.session.scalar(db.select(Petition.id).where(Petition.slug == slug)) is not None:
        raise Conflict(_("Another petition already uses the address %(slug)s.", slug=slug))
    if goal is not None and goal <= 0:
        raise CampaignError(_("The goal must be a positive number of signatures."))
    petition = Petition(
        organisation=organisation,
        slug=slug,
        title=title,
        summary=summary,
        body_markdown=body_markdown,
        body_html=render_markdown(body_markdown),
        goal=goal,
        language=language,
        closes_at=closes_at,
        state=PetitionState.DRAFT,
    )
    for position, data in enumerate(addressees):
        petition.addressee_links.append(
            PetitionAddressee(addressee=find_or_create_addressee(data), position=position)
        )
    petition.demands = [Demand(position=i, text=text) for i, text in enumerate(demands)]
    petition.references = [
        Reference(position=i, title=ref.title, url=ref.url) for i, ref in enumerate(references)
    ]
    db.session.add(petition)
    db.session.flush()
    return petition


def open_petition(petition: Petition, when: datetime | None = None) -> None:
    if petition.state == PetitionState.CLOSED:
        raise Conflict(_("A closed petition cannot be opened again."))
    petition.state = PetitionState.OPEN
    petition.opened_at = petition.opened_at or when or utcnow()
    db.session.flush()


def close_petition(petition: Petition, when: datetime | None = None) -> None:
    petition.state = PetitionState.CLOSED
    petition.closed_at = when or utcnow()
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

    @classmethod
    def of(cls, petition: Petition) -> PetitionHead:
        return cls(petition.id, petition.slug, petition.title, petition.state,
                   petition.closes_at, petition.goal, petition.organisation_id,
                   petition.organisation.name)

    def accepts_signatures(self, now: datetime | None = None) -> bool:
        return accepts_signatures(self.state, self.closes_at, now)


_petitions, _organisations = Petition.__table__, Organisation.__table__
# Table columns, not ORM attributes: these run on every signature, where the ORM's loading
# machinery cost more than the query.
HEAD_COLUMNS = (_petitions.c.id, _petitions.c.slug, _petitions.c.title, _petitions.c.state,
                _petitions.c.closes_at, _petitions.c.goal, _petitions.c.organisation_id,
                _organisations.c.name)
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
            .where(Petition.state == PetitionState.OPEN)
            .order_by(Petition.opened_at.desc(), Petition.id.desc())
        )
    )


@dataclass(frozen=True)
class PetitionText:
    title: str
    summary: str
    body_markdown: str
    demands: tuple[str, ...]


def _text_of(petition: Petition) -> PetitionText:
    return PetitionText(petition.title, petition.summary, petition.body_markdown,
                        tuple(d.text for d in petition.demands))


def edit_petition(
    petition: Petition,
    *,
    text: PetitionText,
    addressees: Sequence[Addressee],
    references: Sequence[ReferenceData],
    goal: int | None,
    closes_at: datetime | None,
    language: str,
    editor: User | None = None,
) -> bool:
    """Change a petition; return whether its text changed.

    Once a petition is public, people may have signed its text: the text as it was is kept as
    a revision, and the public page says when it was edited.
    """
    if goal is not None and goal <= 0:
        raise CampaignError(_("The goal must be a positive number of signatures."))
    before = _text_of(petition)
    text_changed = before != text
    if text_changed and petition.state != PetitionState.DRAFT:
        petition.revisions.append(PetitionRevision(
            title=before.title, summary=before.summary, body_markdown=before.body_markdown,
            demands=list(before.demands), edited_by_id=editor.id if editor else None))
    petition.title = text.title
    petition.summary = text.summary
    petition.body_markdown = text.body_markdown
    petition.body_html = render_markdown(text.body_markdown)
    if tuple(d.text for d in petition.demands) != text.demands:
        petition.demands = [Demand(position=i, text=t) for i, t in enumerate(text.demands)]
    set_addressees(petition, addressees)
    petition.references = [
        Reference(position=i, title=ref.title, url=ref.url) for i, ref in enumerate(references)
    ]
    petition.goal = goal
    petition.closes_at = closes_at
    petition.language = language
    db.session.flush()
    return text_changed


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


def set_outcome(petition: Petition, outcome: Outcome | None, on: date | None,
                note: str | None) -> None:
    if outcome is not None and on is None:
        raise CampaignError(_("Give the date of the outcome."))
    petition.outcome = outcome
    petition.outcome_on = on if outcome else None
    petition.outcome_note = (note or "").strip() or None if outcome else None
    db.session.flush()


def post_update(petition: Petition, *, title: str, body_markdown: str, author: User | None,
                mail_signers: bool) -> PetitionUpdate:
    if petition.state == PetitionState.DRAFT:
        raise Conflict(_("Publish the petition before posting updates on it."))
    update = PetitionUpdate(petition=petition, title=title.strip(), body_markdown=body_markdown,
                            body_html=render_markdown(body_markdown),
                            author_id=author.id if author else None,
                            mail_requested=mail_signers)
    db.session.add(update)
    db.session.flush()
    return update
