"""Lists going out: a CSV the import reads back (never the encrypted details), and an annex of
persons grouped by category, as a source list presents them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from campaign.accounts.models import Organisation
from campaign.cases.categories import categories
from campaign.cases.models import PersonOfConcern, Visibility
from campaign.cases.services import list_persons
from campaign.cases.vocabulary import STATUS_LABELS, format_partial_date, partial_date_text
from campaign.csvsafe import csv_lines
from campaign.petitions.models import Petition

EXPORT_COLUMNS = (
    "name", "name_original", "father_name", "sex", "birth", "nationality", "category",
    "status", "status_date", "date", "place", "holding_authority", "holding_state",
    "place_of_detention", "legal_basis", "service_number", "icrc_reference",
    "ecthr_application", "wgeid_case", "source", "source_url",
    "source_reference", "reliability", "visibility", "consent_by", "consent_date",
    "representative_name", "representative_authority",
)


def _value(value) -> str:
    return "" if value is None else getattr(value, "value", value)


def _row(person: PersonOfConcern) -> list[str]:
    latest = person.events[-1]
    birth = person.birth_date.isoformat() if person.birth_date else _value(person.birth_year)
    return [
        person.name, person.name_original, person.father_name, _value(person.sex), birth,
        _value(person.nationality), person.category.code, person.status.value,
        partial_date_text(latest.occurred_on, latest.occurred_precision),
        partial_date_text(person.captured_on, person.captured_on_precision),
        person.capture_place, person.holding_authority, _value(person.holding_state),
        person.place_of_detention, person.legal_basis, person.service_number,
        person.icrc_reference, person.ecthr_application_no, person.wgeid_case_no,
        latest.source_kind.value, latest.source_url or "", latest.source_reference,
        latest.reliability.value, person.visibility.value, _value(person.public_consent_by),
        person.public_consent_on.isoformat() if person.public_consent_on else "",
        person.representative_name, person.representative_authority,
    ]


def export_lines(organisation: Organisation, petition: Petition | None = None,
                 visibilities: Iterable[Visibility] | None = None) -> Iterator[str]:
    """The persons as CSV lines, every cell escaped against formula injection. The latest
    status event gives the source columns; family contact and notes never leave encrypted."""
    persons = list_persons(organisation, petition=petition, visibilities=visibilities)
    return csv_lines(EXPORT_COLUMNS, (_row(person) for person in persons))


@dataclass(frozen=True)
class AnnexEntry:
    name: str
    name_original: str
    birth_year: int | None
    status: str
    status_since: str
    captured: str
    place: str


@dataclass(frozen=True)
class AnnexGroup:
    code: str
    label: str
    entries: list[AnnexEntry]


def annex_by_category(organisation: Organisation,
                      persons: Iterable[PersonOfConcern]) -> list[AnnexGroup]:
    """Persons grouped under their category (in the organisation's order), by name: the list
    a letter or a delivery package attaches. The caller chooses whom it may name."""
    groups: dict[int, list[AnnexEntry]] = {}
    for person in sorted(persons, key=lambda p: (p.name.casefold(), p.id)):
        latest = person.events[-1] if person.events else None
        groups.setdefault(person.category_id, []).append(AnnexEntry(
            name=person.name, name_original=person.name_original, birth_year=person.birth_year,
            status=str(STATUS_LABELS[person.status]),
            status_since=format_partial_date(latest.occurred_on, latest.occurred_precision)
            if latest else "",
            captured=format_partial_date(person.captured_on, person.captured_on_precision),
            place=person.capture_place,
        ))
    return [AnnexGroup(category.code, category.display_label, groups[category.id])
            for category in categories(organisation) if category.id in groups]
