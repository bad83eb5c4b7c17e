"""The rules for persons of concern: recording them, their status history, the petitions they
are linked to. Services flush and never commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _

from campaign.accounts import audit
from campaign.accounts.models import Organisation, User
from campaign.cases import crypto
from campaign.cases.fields import (
    PRIVATE_FIELDS,
    CaseInvalid,
    StatusReport,
    validate_fields,
    validate_status_report,
)
from campaign.cases.figures import touch_figures
from campaign.cases.models import (
    CaseCategory,
    CaseStatus,
    PersonOfConcern,
    PetitionCase,
    StatusEvent,
    Visibility,
)
from campaign.errors import CampaignError, NotFound
from campaign.extensions import db
from campaign.petitions.models import Petition


def _store(person: PersonOfConcern, cleaned: Mapping[str, Any]) -> None:
    for name, value in cleaned.items():
        if name in PRIVATE_FIELDS:
            setattr(person, f"{name}_encrypted", crypto.encrypt(value))
        else:
            setattr(person, name, value)


def _check_key_for(cleaned: Mapping[str, Any]) -> None:
    """Refuse before anything is written: encrypted details need the key."""
    if any(cleaned.get(name) for name in PRIVATE_FIELDS):
        crypto.require_key()


def create_person(organisation: Organisation, fields: Mapping[str, Any], status: StatusReport,
                  *, user: User | None = None) -> PersonOfConcern:
    """Record a person with the status someone reported; raises CaseInvalid with every
    problem at once."""
    cleaned, errors = validate_fields(organisation, fields)
    report, report_errors = validate_status_report(status)
    errors.update(report_errors)
    if errors:
        raise CaseInvalid(errors)
    _check_key_for(cleaned)
    person = PersonOfConcern(organisation_id=organisation.id, status=report.status,
                             visibility=Visibility.PRIVATE,
                             created_by_id=user.id if user else None)
    _store(person, cleaned)
    db.session.add(person)
    _add_event(person, report, user)
    db.session.flush()
    if cleaned.get("visibility") is Visibility.PUBLIC:
        _audit_consent(person, user)
    touch_figures(organisation.id, public=person.visibility.counted_publicly)
    return person


def update_person(person: PersonOfConcern, changes: Mapping[str, Any], *,
                  user: User | None = None) -> PersonOfConcern:
    """Apply a change set: a field not in `changes` stays as it is; an empty private detail
    erases it. The status changes only through record_status, with a source."""
    if "status" in changes:
        raise TypeError("a status changes through record_status(), with its source")
    organisation = person.organisation
    cleaned, errors = validate_fields(organisation, changes, current=person)
    if errors:
        raise CaseInvalid(errors)
    _check_key_for(cleaned)
    counted_before = person.visibility.counted_publicly
    figures_before = (person.visibility, person.category_id)
    _store(person, cleaned)
    db.session.flush()
    if "visibility" in cleaned and person.is_public and figures_before[0] is not Visibility.PUBLIC:
        _audit_consent(person, user)
    if (person.visibility, person.category_id) != figures_before:
        touch_figures(organisation.id, _petition_ids(person),
                      public=counted_before or person.visibility.counted_publicly)
    return person


def record_status(person: PersonOfConcern, report: StatusReport, *,
                  user: User | None = None) -> StatusEvent:
    """Add a dated status event; the current status becomes the latest event's, so a report
    of an earlier change fills in the history without overriding a later one."""
    report, errors = validate_status_report(report)
    if errors:
        raise CaseInvalid(errors)
    before = person.status
    event = _add_event(person, report, user)
    if person.status is not before:
        touch_figures(person.organisation_id, _petition_ids(person),
                      public=person.visibility.counted_publicly)
    return event


def remove_status_event(event: StatusEvent, *, reason: str, user: User | None = None) -> None:
    """Take back an event recorded by mistake (the audit log keeps what it said and why it
    went); the current status follows the history that remains, which keeps one event."""
    person = event.person
    if len(person.events) == 1:
        raise CampaignError(_("A person's only status event cannot be removed: record the "
                              "correct status first."))
    if not reason.strip():
        raise CaseInvalid({"reason": _("Say why the event is removed.")})
    before = person.status
    audited(person.organisation, "case.status_event_removed", user, person=person.id,
            status=event.status.value, occurred_on=event.occurred_on.isoformat(),
            reason=reason.strip()[:500])
    person.events.remove(event)
    db.session.flush()
    _follow_history(person)
    if person.status is not before:
        touch_figures(person.organisation_id, _petition_ids(person),
                      public=person.visibility.counted_publicly)


def _add_event(person: PersonOfConcern, report: StatusReport, user: User | None) -> StatusEvent:
    event = StatusEvent(
        status=report.status, occurred_on=report.occurred_on,
        occurred_precision=report.precision, source_kind=report.source_kind,
        source_url=report.source_url, source_reference=report.source_reference,
        reliability=report.reliability, recorded_by_id=user.id if user else None,
    )
    person.events.append(event)
    db.session.flush()
    _follow_history(person)
    return event


def _follow_history(person: PersonOfConcern) -> None:
    latest = max(person.events, key=lambda e: (e.occurred_on, e.recorded_at, e.id))
    person.status, person.status_since = latest.status, latest.occurred_on
    db.session.flush()


def history(person: PersonOfConcern) -> list[StatusEvent]:
    """The status events, oldest first."""
    return list(person.events)


def find_person(organisation: Organisation, person_id: int) -> PersonOfConcern:
    """The organisation's person with this id; another organisation's is not found."""
    person = db.session.get(PersonOfConcern, person_id)
    if person is None or person.organisation_id != organisation.id:
        raise NotFound(_("No such person of concern."))
    return person


def list_persons(organisation: Organisation, *, petition: Petition | None = None,
                 visibilities: Iterable[Visibility] | None = None,
                 category: CaseCategory | None = None,
                 status: CaseStatus | None = None) -> list[PersonOfConcern]:
    """The organisation's persons (of one petition, visibility, category or status), by name."""
    query = (db.select(PersonOfConcern)
             .where(PersonOfConcern.organisation_id == organisation.id)
             .order_by(PersonOfConcern.name, PersonOfConcern.id))
    if petition is not None:
        query = query.join(PetitionCase).where(PetitionCase.petition_id == petition.id)
    if visibilities is not None:
        query = query.where(PersonOfConcern.visibility.in_(list(visibilities)))
    if category is not None:
        query = query.where(PersonOfConcern.category_id == category.id)
    if status is not None:
        query = query.where(PersonOfConcern.status == status)
    return list(db.session.scalars(query))


def link_petition(person: PersonOfConcern, petition: Petition) -> bool:
    """Tie a person to a petition of the same organisation; False if already linked."""
    if petition.organisation_id != person.organisation_id:
        raise CampaignError(_("A person can only be linked to the same organisation's "
                              "petitions."))
    if petition.id in _petition_ids(person):
        return False
    person.petition_links.append(PetitionCase(petition_id=petition.id))
    db.session.flush()
    touch_figures(person.organisation_id, [petition.id],
                  public=person.visibility.counted_publicly, organisation=False)
    return True


def unlink_petition(person: PersonOfConcern, petition: Petition) -> bool:
    for link in person.petition_links:
        if link.petition_id == petition.id:
            person.petition_links.remove(link)
            db.session.flush()
            touch_figures(person.organisation_id, [petition.id],
                          public=person.visibility.counted_publicly, organisation=False)
            return True
    return False


def _petition_ids(person: PersonOfConcern) -> list[int]:
    return [link.petition_id for link in person.petition_links]


def _audit_consent(person: PersonOfConcern, user: User | None) -> None:
    audited(person.organisation, "case.made_public", user, person=person.id,
            consent_by=str(person.public_consent_by),
            consent_on=person.public_consent_on.isoformat())


def audited(organisation: Organisation, action: str, user: User | None, **details):
    """An audit entry naming who acted (the signed-in user, or `user` for commands and
    letters); persons are named by number only, so that erasing one leaves no name behind."""
    subject = f"person #{details['person']}" if "person" in details else ""
    event = audit.record(organisation, action, subject, **details)
    if user is not None:
        event.user_id = user.id
    return event
