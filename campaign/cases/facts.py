"""What a person's record supplies to a letter about them: the facts each body requires
(`fields` in campaign/legal/data/bodies.yaml), read from the record rather than a letter's text."""

from __future__ import annotations

from campaign.cases.models import DatePrecision, PersonOfConcern
from campaign.cases.vocabulary import format_partial_date
from campaign.geography import country_name

# Facts only the encrypted details hold: a letter reads them through read_private_details.
PRIVATE_FACTS = {"search_steps": "search_steps", "contact_person": "representative_contact"}


def _date_of_arrest(person: PersonOfConcern) -> str:
    when = format_partial_date(person.captured_on, person.captured_on_precision)
    return ", ".join(part for part in (when, person.capture_place) if part)


def _disappearance_date(person: PersonOfConcern) -> str:
    # The Working Group needs at least the month and the year.
    if person.captured_on_precision in (DatePrecision.DAY, DatePrecision.MONTH):
        return format_partial_date(person.captured_on, person.captured_on_precision)
    return ""


def _birth(person: PersonOfConcern) -> str:
    if person.birth_date:
        return format_partial_date(person.birth_date, DatePrecision.DAY)
    return str(person.birth_year or "")


def _representative(person: PersonOfConcern) -> str:
    return ", ".join(part for part in (person.representative_name,
                                       person.representative_authority) if part)


def _family_consent(person: PersonOfConcern) -> str:
    if not person.has_communication_consent:
        return ""
    return f"{person.communication_consent_by}, {person.communication_consent_on.isoformat()}"


def _name(person: PersonOfConcern) -> str:
    if person.name_original and person.name_original != person.name:
        return f"{person.name} ({person.name_original})"
    return person.name


FACTS = {
    "applicant_name": _name,
    "applicant_birth_date": _birth,
    "applicant_nationality": lambda p: country_name(p.nationality),
    "respondent_state": lambda p: country_name(p.holding_state),
    "place_of_detention": lambda p: p.place_of_detention,
    "date_of_arrest": _date_of_arrest,
    "arresting_authority": lambda p: p.holding_authority,
    "legal_basis": lambda p: p.legal_basis,
    "representative": _representative,
    "application_number": lambda p: p.ecthr_application_no,
    "family_consent": _family_consent,
    "disappearance_date": _disappearance_date,
    "disappearance_place": lambda p: p.capture_place,
    "service_number": lambda p: p.service_number,
}


def record_facts(person: PersonOfConcern) -> dict[str, str]:
    """The facts the record states, by field id ("" where it does not). Encrypted details are
    not among them: see `supplied_fields` and read_private_details."""
    return {field: fact(person) for field, fact in FACTS.items()}


def supplied_fields(person: PersonOfConcern) -> set[str]:
    """The field ids the record fills in, the encrypted ones judged by their presence only
    (nothing is decrypted, so nothing is audited)."""
    supplied = {field for field, value in record_facts(person).items() if value}
    supplied |= {field for field, detail in PRIVATE_FACTS.items() if person.has_private(detail)}
    return supplied
