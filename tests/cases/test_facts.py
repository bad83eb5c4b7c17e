"""A letter about a person reads the facts a body requires from the record: the WGEID's and the
Court's lists are filled from the fields, not from a letter's text."""

from datetime import date

from campaign.cases.facts import FACTS, PRIVATE_FACTS, record_facts, supplied_fields
from campaign.cases.services import update_person
from campaign.legal.catalogue import catalogue
from tests import factories

WGEID_RECORD = {
    "name": "Sargis Martirosyan", "name_original": "Սարգիս Մարտիրոսյան", "category": "missing",
    "captured_on": date(2020, 10, 1), "captured_on_precision": "month",
    "capture_place": "Jabrayil district, last seen at a checkpoint",
    "holding_authority": "Soldiers at the checkpoint (as reported by a witness)",
    "search_steps": "Tracing request to the ICRC; letters to the prosecutor's office",
    "communication_consent_by": "family", "communication_consent_on": "2021-04-02",
}


def _required(body_id: str) -> set[str]:
    return {field.id for field in catalogue().body(body_id).required_fields}


def test_every_fact_the_record_supplies_is_a_field_bodies_require():
    vocabulary = {field.id for body in catalogue().bodies.values()
                  for field in body.required_fields}
    assert set(FACTS) | set(PRIVATE_FACTS) <= vocabulary


def test_a_wgeid_communication_finds_every_element_but_the_sender_in_the_record(organisation):
    person = factories.create_person_of_concern(organisation, status="whereabouts_unknown",
                                                **WGEID_RECORD)
    assert _required("wgeid") - supplied_fields(person) == {"submitter_identity"}
    facts = record_facts(person)
    assert facts["applicant_name"] == "Sargis Martirosyan (Սարգիս Մարտիրոսյան)"
    assert facts["disappearance_date"] == "October 2020"
    assert facts["family_consent"] == "family, 2021-04-02"
    assert "search_steps" not in facts  # encrypted: only through the audited read

    # Known only to the year, the date falls short of what the Working Group needs.
    update_person(person, {"captured_on": date(2020, 1, 1), "captured_on_precision": "year"})
    assert "disappearance_date" not in supplied_fields(person)


def test_a_rule_39_request_reads_identity_detention_and_representative(organisation):
    person = factories.create_person_of_concern(
        organisation, name="Tatul Harutyunyan", birth_date="1968-02-11", nationality="AM",
        holding_state="AZ", place_of_detention="Pre-trial detention facility No. 1",
        representative_name="Anahit Melkonyan",
        representative_authority="Lawyer, power of attorney signed by his wife",
        representative_contact="+374 10 555 111", ecthr_application_no="4321/24")
    supplied = supplied_fields(person)
    assert {"applicant_name", "applicant_birth_date", "applicant_nationality",
            "respondent_state", "place_of_detention", "representative", "application_number",
            "contact_person"} <= supplied & _required("ecthr")
    facts = record_facts(person)
    assert facts["applicant_birth_date"] == "February 11, 1968"
    assert (facts["applicant_nationality"], facts["respondent_state"]) == ("Armenia",
                                                                           "Azerbaijan")
    assert facts["representative"].startswith("Anahit Melkonyan, Lawyer")
