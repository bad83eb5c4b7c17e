"""The figures behind a petition or an organisation: persons by category and status (public use
counts only aggregate and public persons), the same over time, and the names that may be shown."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from campaign.accounts.models import Organisation
from campaign.cases.models import (
    CaseCategory,
    CaseFiguresStamp,
    CaseStatus,
    CaseTombstone,
    PersonOfConcern,
    PetitionCase,
    StatusEvent,
    Visibility,
)
from campaign.cases.vocabulary import STATUS_LABELS
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.types import utcnow


def _scope(public: bool, petition_id: int | None) -> str:
    prefix = "public" if public else "all"
    return prefix if petition_id is None else f"{prefix}:petition:{petition_id}"


def touch_figures(organisation_id: int, petition_ids: Iterable[int] = (), *, public: bool,
                  organisation: bool = True) -> None:
    """Note that the figures of the organisation (and of these petitions) changed now; a
    change that public figures show moves their date too."""
    petition_scopes = [None] if organisation else []
    petition_scopes += list(petition_ids)
    now = utcnow()
    rows = [{"organisation_id": organisation_id, "scope": _scope(kind, petition_id),
             "changed_at": now}
            for petition_id in petition_scopes for kind in ((False, True) if public else (False,))]
    if not rows:
        return
    connection = db.session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(CaseFiguresStamp.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=["organisation_id", "scope"],
        set_={"changed_at": statement.excluded["changed_at"]},
    )
    db.session.execute(statement, rows)


@dataclass
class CaseFigures:
    total: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    updated_at: datetime | None = None
    category_labels: dict[str, str] = field(default_factory=dict)

    @property
    def still_detained(self) -> int:
        return self.by_status.get(CaseStatus.DETAINED.value, 0)

    def as_json(self) -> dict:
        """The shape `/p/<slug>.json` publishes as `cases`."""
        return {
            "total": self.total,
            "by_category": self.by_category,
            "by_status": self.by_status,
            "still_detained": self.still_detained,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


def _counted(public: bool) -> list[Visibility]:
    return [v for v in Visibility if v.counted_publicly] if public else list(Visibility)


def case_figures(organisation: Organisation, petition: Petition | None = None, *,
                 public: bool = True) -> CaseFigures:
    """Persons by category and status, for the organisation or one of its petitions. For
    public use (the default) only aggregate and public persons count; anonymous counts left
    by erased persons count as they were."""
    visibilities = _counted(public)
    persons = (db.select(CaseCategory.code, PersonOfConcern.status, db.func.count())
               .join(PersonOfConcern.category)
               .where(PersonOfConcern.organisation_id == organisation.id,
                      PersonOfConcern.visibility.in_(visibilities))
               .group_by(CaseCategory.code, PersonOfConcern.status))
    kept = (db.select(CaseCategory.code, CaseTombstone.status, db.func.count())
            .join(CaseTombstone.category)
            .where(CaseTombstone.organisation_id == organisation.id,
                   CaseTombstone.visibility.in_(visibilities))
            .group_by(CaseCategory.code, CaseTombstone.status))
    if petition is None:
        kept = kept.where(CaseTombstone.petition_id.is_(None))
    else:
        persons = persons.join(PetitionCase).where(PetitionCase.petition_id == petition.id)
        kept = kept.where(CaseTombstone.petition_id == petition.id)
    by_category: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    for code, status, count in [*db.session.execute(persons), *db.session.execute(kept)]:
        by_category[code] += count
        by_status[CaseStatus(status).value] += count
    categories = [(c.code, c.display_label) for c in db.session.scalars(
        db.select(CaseCategory).where(CaseCategory.organisation_id == organisation.id)
        .order_by(CaseCategory.position, CaseCategory.id))]
    stamp = db.session.scalar(db.select(CaseFiguresStamp.changed_at).where(
        CaseFiguresStamp.organisation_id == organisation.id,
        CaseFiguresStamp.scope == _scope(public, petition.id if petition else None)))
    return CaseFigures(
        total=sum(by_status.values()),
        by_category={code: by_category[code] for code, _label in categories if by_category[code]},
        by_status={s.value: by_status[s.value] for s in CaseStatus if by_status[s.value]},
        updated_at=stamp,
        category_labels=dict(categories),
    )


def petition_cases_json(petition: Petition) -> dict | None:
    """The `cases` object of the petition's public JSON, or None when no person linked to it
    counts publicly (so that a petition's private persons are not even hinted at)."""
    figures = case_figures(petition.organisation, petition)
    return figures.as_json() if figures.total else None


@dataclass(frozen=True)
class SeriesPoint:
    day: date
    counts: dict[str, int]  # every status, zeros included


def status_series(organisation: Organisation, petition: Petition | None = None, *,
                  public: bool = False) -> list[SeriesPoint]:
    """Persons by status over time: one point on each day a count changed, from the dated
    history. An erased person kept as a count appears from the day of their last status."""
    query = (db.select(StatusEvent.person_id, StatusEvent.status, StatusEvent.occurred_on)
             .join(StatusEvent.person)
             .where(PersonOfConcern.organisation_id == organisation.id,
                    PersonOfConcern.visibility.in_(_counted(public)))
             .order_by(StatusEvent.person_id, StatusEvent.occurred_on, StatusEvent.recorded_at,
                       StatusEvent.id))
    kept = (db.select(CaseTombstone.status, CaseTombstone.status_since, CaseTombstone.erased_at)
            .where(CaseTombstone.organisation_id == organisation.id,
                   CaseTombstone.visibility.in_(_counted(public))))
    if petition is None:
        kept = kept.where(CaseTombstone.petition_id.is_(None))
    else:
        query = query.join(PetitionCase, PetitionCase.person_id == StatusEvent.person_id).where(
            PetitionCase.petition_id == petition.id)
        kept = kept.where(CaseTombstone.petition_id == petition.id)
    changes: dict[date, Counter[str]] = {}
    current: dict[int, str] = {}
    for person_id, status, day in db.session.execute(query):
        delta = changes.setdefault(day, Counter())
        if person_id in current:
            delta[current[person_id]] -= 1
        current[person_id] = CaseStatus(status).value
        delta[current[person_id]] += 1
    for status, since, erased_at in db.session.execute(kept):
        changes.setdefault(since or erased_at.date(), Counter())[CaseStatus(status).value] += 1
    running: Counter[str] = Counter()
    points = []
    for day in sorted(changes):
        running.update(changes[day])
        points.append(SeriesPoint(day, {s.value: running[s.value] for s in CaseStatus}))
    return points


@dataclass(frozen=True)
class PublicPerson:
    name: str
    name_original: str
    category: str
    status: CaseStatus

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def public_persons(organisation: Organisation,
                   petition: Petition | None = None) -> list[PublicPerson]:
    """The persons whose names may be shown publicly (public, with recorded consent), by name."""
    query = (db.select(PersonOfConcern)
             .where(PersonOfConcern.organisation_id == organisation.id,
                    PersonOfConcern.visibility == Visibility.PUBLIC,
                    PersonOfConcern.public_consent_on.is_not(None))
             .order_by(PersonOfConcern.name, PersonOfConcern.id))
    if petition is not None:
        query = query.join(PetitionCase).where(PetitionCase.petition_id == petition.id)
    return [PublicPerson(person.name, person.name_original, person.category.display_label,
                         person.status)
            for person in db.session.scalars(query)]
