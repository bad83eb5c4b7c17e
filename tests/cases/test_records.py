"""A person's record: what it holds, the rules that keep it honest, and one organisation's
persons kept from another's."""

import unicodedata
from datetime import date, timedelta

import pytest

from campaign.accounts.models import AuditEvent
from campaign.cases.categories import add_category, categories
from campaign.cases.fields import CaseInvalid, StatusReport
from campaign.cases.models import (
    CaseStatus,
    ConsentBy,
    DatePrecision,
    PersonOfConcern,
    Reliability,
    SourceKind,
    Visibility,
)
from campaign.cases.services import (
    create_person,
    find_person,
    history,
    link_petition,
    record_status,
    remove_status_event,
    update_person,
)
from campaign.errors import CampaignError, Conflict, NotFound
from campaign.extensions import db
from tests import factories

CAPTURED = StatusReport("Detained", date(2020, 12, 13), "icrc", "confirmed",
                        source_reference="ICRC notification to the family")


def test_a_record_keeps_both_scripts_the_references_and_what_letters_need(organisation):
    person = create_person(organisation, {
        "name": "Gevorg Sargsyan", "name_original": "Գևորգ Սարգսյան", "father_name": "Armen",
        "sex": "male", "birth_date": "1999-04-02", "nationality": "am",
        "category": "Prisoner of war", "captured_on": date(2020, 12, 13),
        "capture_place": "near Hin Tagher, Hadrut region",
        "holding_authority": "State Security Service",
        "place_of_detention": "Pre-trial detention centre No. 1", "icrc_reference": "AZE-2020-0113",
        "ecthr_application_no": "12345/21", "wgeid_case_no": "10012345",
        "representative_name": "Anna Melkonyan",
        "representative_authority": "Lawyer, power of attorney signed by the mother",
        "communication_consent_by": "family", "communication_consent_on": "2021-02-01",
    }, CAPTURED)
    db.session.commit()
    db.session.expire_all()

    assert person.name_original == "Գևորգ Սարգսյան"
    assert person.birth_year == 1999 and person.birth_date == date(1999, 4, 2)
    assert person.nationality == "AM"
    assert person.category.code == "prisoner_of_war"
    assert person.status is CaseStatus.DETAINED and person.status_since == date(2020, 12, 13)
    assert person.captured_on_precision is DatePrecision.DAY
    assert person.ecthr_application_no == "12345/21"
    assert person.has_communication_consent
    assert person.visibility is Visibility.PRIVATE  # private unless the organiser says otherwise
    [event] = history(person)
    assert (event.source_kind, event.reliability) == (SourceKind.ICRC, Reliability.CONFIRMED)


def test_original_script_typed_decomposed_is_stored_composed(organisation):
    decomposed = "Ələkbər"
    person = factories.create_person_of_concern(
        organisation, name_original=unicodedata.normalize("NFD", decomposed))
    assert person.name_original == unicodedata.normalize("NFC", decomposed)


def test_public_is_refused_without_recorded_consent(organisation):
    with pytest.raises(CaseInvalid) as refused:
        create_person(organisation, {"name": "Leyla Mammadova", "category": "hostage",
                                     "visibility": "public"}, CAPTURED)
    assert "consent" in refused.value.errors["visibility"]

    person = factories.create_person_of_concern(organisation)
    with pytest.raises(CaseInvalid):
        update_person(person, {"visibility": "public", "public_consent_by": "family"})
    update_person(person, {"visibility": "public", "public_consent_by": "family",
                           "public_consent_on": "2021-03-04"})
    assert person.is_public and person.public_consent_by is ConsentBy.FAMILY
    # Withdrawing the consent record while the name is public is refused too.
    with pytest.raises(CaseInvalid):
        update_person(person, {"public_consent_on": None})


def test_every_problem_is_reported_at_once_with_the_field_it_concerns(organisation):
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(CaseInvalid) as refused:
        create_person(organisation, {
            "name": "", "category": "soldier", "nationality": "Armenia",
            "ecthr_application_no": "12345", "birth_year": "1850",
            "communication_consent_on": "2021-01-01",
        }, StatusReport("free", tomorrow, "url"))
    errors = refused.value.errors
    assert {"name", "category", "nationality", "ecthr_application_no", "birth_year",
            "communication_consent_on", "status", "occurred_on", "source_url"} <= set(errors)
    assert "12345/21" in errors["ecthr_application_no"]
    assert "Prisoner of war" in errors["category"]  # says which categories exist
    assert db.session.scalar(db.select(db.func.count()).select_from(
        PersonOfConcern)) == 0


def test_the_current_status_is_the_latest_dated_event_whatever_order_reports_arrive_in(
        organisation):
    person = factories.create_person_of_concern(organisation, status="detained")
    record_status(person, StatusReport("repatriated", date(2023, 5, 10), "official",
                                       source_reference="Statement of the ombudsman"))
    # A later report about an earlier release fills in the history without undoing the rest.
    record_status(person, StatusReport("released", date(2023, 5, 9), "url",
                                       source_url="https://news.example.org/exchange"))
    db.session.commit()
    assert person.status is CaseStatus.REPATRIATED
    assert person.status_since == date(2023, 5, 10)
    assert [event.status for event in history(person)] == [
        CaseStatus.DETAINED, CaseStatus.RELEASED, CaseStatus.REPATRIATED]


def test_categories_are_matched_as_lists_write_them_and_an_organisation_adds_its_own(
        organisation):
    labels = [category.label for category in categories(organisation)]
    assert labels == ["Prisoner of war", "Detained civilian", "Hostage", "Missing"]
    political = add_category(organisation, "political_prisoner", "Political prisoner")
    for written in ("Prisoners of war", "PRISONER OF WAR", "prisoner_of_war"):
        person = factories.create_person_of_concern(organisation, category=written)
        assert person.category.code == "prisoner_of_war"
    person = factories.create_person_of_concern(organisation, category="Political prisoners")
    assert person.category == political
    with pytest.raises(Conflict):
        add_category(organisation, "political", "political prisoner")
    other = factories.create_organisation()
    assert [c.code for c in categories(other)] == [
        "prisoner_of_war", "detained_civilian", "hostage", "missing"]


def test_one_organisation_never_reaches_anothers_persons(organisation):
    person = factories.create_person_of_concern(organisation)
    other = factories.create_organisation()
    other_petition = factories.create_open_petition(other)
    with pytest.raises(NotFound):
        find_person(other, person.id)
    with pytest.raises(CampaignError):
        link_petition(person, other_petition)
    with pytest.raises(CaseInvalid):
        create_person(other, {"name": "X", "category": person.category}, CAPTURED)


def test_an_edit_cannot_blank_the_name_or_category_and_an_empty_visibility_means_private(
        organisation):
    person = factories.create_person_of_concern(organisation, name="Hayk Mkrtchyan")
    with pytest.raises(CaseInvalid) as refused:
        update_person(person, {"name": " ", "category": ""})
    assert set(refused.value.errors) == {"name", "category"}
    update_person(person, {"visibility": ""})
    db.session.commit()
    assert person.name == "Hayk Mkrtchyan" and person.visibility is Visibility.PRIVATE


def test_an_event_recorded_by_mistake_is_taken_back_and_the_status_follows(organisation,
                                                                            editor):
    person = factories.create_person_of_concern(organisation, status="detained")
    wrong = record_status(person, StatusReport("deceased", date(2021, 3, 1), "url",
                                               source_url="https://rumour.example.org/x"))
    assert person.status is CaseStatus.DECEASED
    with pytest.raises(CaseInvalid):
        remove_status_event(wrong, reason=" ")
    remove_status_event(wrong, reason="The report was about another person", user=editor)
    db.session.commit()
    assert person.status is CaseStatus.DETAINED and len(history(person)) == 1
    with pytest.raises(CampaignError):
        remove_status_event(history(person)[0], reason="no history left")
    entry = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "case.status_event_removed"))
    assert entry.user_id == editor.id and entry.details["status"] == "deceased"
