"""What each body requires, how it may be reached, its markings, reply times, routes and the
holder of its office on the day a letter is dated."""

from datetime import date

import pytest

from campaign.legal.catalogue import CatalogueError, catalogue
from tests.legal.test_catalogue import _build, _raw


def test_a_letter_dated_on_a_day_is_addressed_to_the_holder_of_that_day():
    office = catalogue().body("un-high-commissioner")
    assert office.holder_on(date(2021, 1, 14)).name == "Michelle Bachelet"
    assert office.holder_on(date(2023, 1, 14)).name == "Volker Türk"
    # Between two terms an acting holder served whom the catalogue does not record.
    assert office.holder_on(date(2022, 9, 20)) is None
    assert office.holder_on(date(2010, 1, 1)) is None


def test_the_salutation_follows_the_holder_of_the_day():
    assembly = catalogue().body("pace")
    assert assembly.salutation_on(date(2025, 6, 1)) == "Dear Mr President,"
    assert assembly.salutation_on(date(2026, 6, 1)) == "Dear Madam President,"
    assert assembly.salutation_on(date(2010, 1, 1)) == assembly.salutation


def test_the_rule_39_marking_belongs_to_the_court_alone():
    bodies = catalogue().bodies
    assert [m.text for m in bodies["ecthr"].markings] == ["Rule 39 \u2013 Urgent"]
    assert [b.id for b in bodies.values() if b.markings] == ["ecthr"]


def test_the_court_takes_rule_39_requests_by_its_form_or_fax_never_by_email():
    court = catalogue().body("ecthr")
    assert {c.kind for c in court.channels} >= {"online-form", "fax"}
    assert not court.accepts("email") and court.accepts("fax")
    assert court.fax_pages_warning(10) is None
    assert "several parts" in court.fax_pages_warning(11)
    assert {f.id for f in court.required_fields} >= {
        "applicant_name", "applicant_birth_date", "applicant_nationality", "respondent_state",
        "representative", "authority_form", "application_number", "documents_enclosed",
        "language", "deadline"}


def test_each_body_lists_the_structured_facts_its_submission_requires():
    bodies = catalogue().bodies
    assert {f.id for f in bodies["wgeid"].required_fields} >= {
        "disappearance_date", "family_consent", "search_steps"}
    assert bodies["wgeid"].one_person_per_communication
    assert bodies["wgeid"].urgent_procedure_months == 3
    assert "national_report" in {f.id for f in bodies["ced"].required_fields}
    assert "judgment_reference" in {
        f.id for f in bodies["coe-committee-of-ministers"].required_fields}
    for body in bodies.values():
        assert body.required_fields, body.id


def test_the_working_group_excludes_international_armed_conflict_and_warns():
    cat = catalogue()
    assert cat.body("wgeid").accepts_international_armed_conflict is False
    warnings = cat.body_warnings("wgeid", "AZ", international_armed_conflict=True)
    assert any("international armed conflict" in w for w in warnings)
    assert cat.body_warnings("wgeid", "AZ") == []


def test_urgent_action_is_refused_against_a_state_not_party_to_the_convention():
    cat = catalogue()
    assert any("Azerbaijan" in w for w in cat.body_warnings("ced", "AZ"))
    assert cat.body_warnings("ced", "AM") == []


def test_reply_times_and_the_icrc_confidentiality_are_recorded():
    bodies = catalogue().bodies
    assert bodies["wgad"].reply_days == 60
    assert bodies["un-special-procedures"].reply_days == 60
    assert bodies["ecthr"].reply_days is None and "deadline" in bodies["ecthr"].reply_note
    assert bodies["icrc"].confidential and not bodies["icrc"].public_reply
    assert {c.kind for c in bodies["icrc"].channels} >= {"delegation", "online-form"}
    assert bodies["un-high-commissioner"].individual_cases_to == (
        "un-special-procedures", "wgad", "wgeid")


def test_the_assembly_is_reached_through_members_or_by_a_petition_to_the_president():
    assembly = catalogue().body("pace")
    routes = {r.id: r for r in assembly.routes}
    assert routes["petition"].via == "president" and routes["petition"].rule == "71"
    assert {routes["written-question"].via, routes["motion"].via,
            routes["written-declaration"].via} == {"member"}
    signatories = next(r for r in assembly.requirements if r.id == "signatories")
    assert signatories.check is None, "an online petition never ticks authentication"


@pytest.mark.parametrize(("breakage", "message"), [
    (lambda b: b["ecthr"]["required_fields"].append("shoe_size"), "outside the vocabulary"),
    (lambda b: b["un-high-commissioner"]["holders"][1].update({"from": "2022-08-01"}),
     "overlap"),
    (lambda b: b["ecthr"]["channels"].append({"kind": "email", "detail": "x"}),
     "both offered and refused"),
    (lambda b: b["ced"].update(requires_party_to="nonsense"), "unknown treaty"),
    (lambda b: b["pace"]["holders"][0].update(sources=[]), "needs the source of the term"),
])
def test_a_broken_body_entry_is_refused_with_its_name(breakage, message):
    raw = _raw()
    breakage({b["id"]: b for b in raw["bodies"]["bodies"]})
    with pytest.raises(CatalogueError, match=message):
        _build(raw)
