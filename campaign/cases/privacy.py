"""The most sensitive part of a record: reading the encrypted details (audited every time),
erasing a person (optionally leaving an anonymous count), and re-encrypting after a key change."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from campaign.accounts.models import Membership, Organisation, Role, User
from campaign.cases import crypto
from campaign.cases.fields import PRIVATE_FIELDS
from campaign.cases.figures import touch_figures
from campaign.cases.models import CaseTombstone, PersonOfConcern, Visibility
from campaign.cases.services import audited
from campaign.errors import CampaignError
from campaign.extensions import db


@dataclass(frozen=True)
class PrivateDetails:
    family_contact: str
    notes: str
    search_steps: str
    representative_contact: str


def _may_read(user: User, organisation: Organisation) -> bool:
    role = db.session.scalar(db.select(Membership.role).where(
        Membership.user_id == user.id, Membership.organisation_id == organisation.id))
    return role is not None and role.allows(Role.EDITOR)


def read_private_details(person: PersonOfConcern, *, reader: User | None,
                         purpose: str) -> PrivateDetails:
    """Decrypt the person's private details and record in the audit log who read them and
    why ("person page", "letter 12", ...). Only editors and owners of the person's
    organisation may read them; `reader` is None only for the command line."""
    if reader is not None and not _may_read(reader, person.organisation):
        raise CampaignError(_("Only editors and owners see a person's private details."),
                            status=403)
    details = PrivateDetails(**{name: crypto.decrypt(getattr(person, f"{name}_encrypted"))
                                for name in PRIVATE_FIELDS})
    audited(person.organisation, "case.private_details_read", reader, person=person.id,
            purpose=purpose[:200])
    return details


def delete_person(person: PersonOfConcern, *, keep_count: bool,
                  user: User | None = None) -> None:
    """Erase a person: the record, its history, its links and every encrypted detail. With
    `keep_count`, an anonymous count (category and last status, no name, no dates but the
    last status's) stays in the organisation's figures and in those of each linked petition."""
    organisation_id = person.organisation_id
    petition_ids = [link.petition_id for link in person.petition_links]
    counted = person.visibility.counted_publicly
    if keep_count:
        visibility = Visibility.AGGREGATE if counted else Visibility.PRIVATE
        for petition_id in [None, *petition_ids]:
            db.session.add(CaseTombstone(
                organisation_id=organisation_id, petition_id=petition_id,
                category_id=person.category_id, status=person.status,
                status_since=person.status_since, visibility=visibility))
    audited(person.organisation, "case.erased", user, person=person.id, kept_count=keep_count)
    db.session.delete(person)
    db.session.flush()
    # Kept as a count, the figures are unchanged apart from the name list.
    touch_figures(organisation_id, petition_ids, public=counted and (
        not keep_count or person.visibility is Visibility.PUBLIC))


def reencrypt_private_details(organisation: Organisation | None = None) -> int:
    """Encrypt every stored detail again under the current key (after rotating
    CASES_ENCRYPTION_KEY with the old one in the fallbacks); returns the persons touched."""
    query = db.select(PersonOfConcern)
    if organisation is not None:
        query = query.where(PersonOfConcern.organisation_id == organisation.id)
    changed = 0
    for person in db.session.scalars(query):
        tokens = [getattr(person, f"{name}_encrypted") for name in PRIVATE_FIELDS]
        if not any(tokens):
            continue
        for name, token in zip(PRIVATE_FIELDS, tokens, strict=True):
            setattr(person, f"{name}_encrypted", crypto.reencrypt(token))
        changed += 1
    db.session.flush()
    return changed
