"""Drafting a letter: the body's checklist, warnings on the law cited, suggestions, versions,
co-signers and the delivery log."""

import re
from datetime import UTC

import pytest

from campaign.errors import CampaignError, Conflict
from campaign.extensions import db
from campaign.letters import services
from campaign.letters.document import LetterDocument
from campaign.letters.models import Letter
from campaign.letters.render import render_text
from tests import factories
from tests.browserform import form_on, send
from tests.conftest import csrf_token_from, delivered_mail, login, post_form, relative

FORM = {
    "body_id": "ecthr", "addressee_office": "Registry of the Court", "subject": "Rule 39 request",
    "letter_date": "2026-11-29", "state_concerned": "az",
    "request": "Indicate interim measures.", "facts": "- **1 May 2026**: arrest.",
    "legal_argument": "Risk to life [[echr-art2]] and of torture [[echr-art3]] [[ecthr-rule39]].",
    "demands-0-text": "Disclose where they are held.",
    "demands-1-text": "Give them medical care.",
    "signatory_name": "Ani Sargsyan", "signatory_title": "Lawyer",
}


def _new_letter(client, organisation, **changes):
    """The new-letter form filled in as an organiser would, framed as POW and torture."""
    form = form_on(client, f"/o/{organisation.slug}/letters/new", button="Save")
    for name, value in {**FORM, **changes}.items():
        form.set(name, value)
    return form.check("framing_tags", "pow").check("framing_tags", "torture")


def test_an_editor_drafts_a_letter_and_sees_what_the_body_still_requires(
    client, organisation, editor
):
    login(client, editor)
    response = send(client, _new_letter(client, organisation), "Save")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "What ECtHR requires" in page
    missing = re.findall(r'<li class="missing">✘ ([^<]+)', page)
    assert any("Rule 39 - Urgent" in item for item in missing)
    assert any("contact person" in item for item in missing)
    assert "Never by e-mail" in page
    letter = db.session.scalar(db.select(Letter))
    assert letter.state_concerned == "AZ"
    assert letter.demands == ["Disclose where they are held.", "Give them medical care."]


def test_an_unknown_provision_marker_is_refused_and_nothing_is_saved(client, organisation,
                                                                     editor):
    login(client, editor)
    response = send(client, _new_letter(client, organisation,
                                        legal_argument="See [[gc3-art999]]."), "Save")
    assert response.status_code == 422
    assert b"[[gc3-art999]] does not name a provision" in response.data
    assert db.session.scalar(db.select(db.func.count(Letter.id))) == 0


def test_a_letter_cannot_be_finalised_while_the_body_requirements_are_missing(letter):
    letter.body_id = "ecthr"
    with pytest.raises(Conflict, match="contact person"):
        services.finalise(letter, None)
    assert letter.versions == []


def test_additional_protocol_i_against_a_state_not_party_warns_and_offers_the_custom(letter):
    warnings = services.law_warnings(letter)
    protocol = [w for w in warnings if w.provision.id == "api-art85"]
    assert protocol and "Azerbaijan is not party to AP I" in protocol[0].message
    assert [p.id for p in protocol[0].alternatives] == ["cihl-128", "cihl-99"]


def test_the_same_letter_against_a_state_party_gives_no_such_warning(app, organisation):
    letter = factories.create_letter(organisation, state_concerned="AM")
    assert not [w for w in services.law_warnings(letter) if "not party" in w.message]


def test_the_letter_page_shows_the_warning_and_the_customary_rule(client, organisation, letter,
                                                                  viewer):
    login(client, viewer)
    page = client.get(f"/o/{organisation.slug}/letters/{letter.id}").get_data(as_text=True)
    assert "Azerbaijan is not party to AP I" in page
    assert "[[cihl-128]]" in page


def test_framing_tags_suggest_provisions_not_yet_cited(letter):
    suggested = [p.id for p in services.suggestions(letter)]
    assert "gc3-art119" in suggested
    assert "gc3-art118" not in suggested, "already cited"


def test_finalising_freezes_a_version_and_later_edits_make_a_new_one(letter):
    first = services.finalise(letter, None)
    assert first.number == 1 and letter.final
    services.update_letter(letter, {"subject": "Prisoners of war STILL held"})
    assert not letter.final
    second = services.finalise(letter, None)
    db.session.commit()
    assert second.number == 2
    old = LetterDocument.from_data(services.version_of(letter, 1).document)
    new = LetterDocument.from_data(services.version_of(letter, 2).document)
    assert old.subject == "Prisoners of war still held"
    assert new.subject == "Prisoners of war STILL held"
    assert "Version 1" in render_text(old)


def test_a_cosigner_accepts_by_link_and_appears_in_order(app, client, organisation, letter,
                                                         editor):
    login(client, editor)
    base = f"/o/{organisation.slug}/letters/{letter.id}"
    for name, email in [("Families of the Missing", "chair@families.example"),
                        ("Legal Aid Group", "lead@legal.example")]:
        post_form(client, f"{base}/cosigners", {"organisation_name": name, "email": email},
                  form_page=base)
    links = {m["To"]: relative(re.search(r"https?://\S+/cosign/\S+",
                                         m.get_body(("plain",)).get_content()).group(0))
             for m in delivered_mail(app)}
    outsider = app.test_client()
    for email, person in [("lead@legal.example", "Tom Legal"),
                          ("chair@families.example", "Mariam Family")]:
        with app.app_context():
            page = outsider.get(links[email])
            assert b"Prisoners of war still held" in page.data
            done = outsider.post(links[email], data={
                "csrf_token": csrf_token_from(page.get_data(True)),
                "signatory_name": person, "signatory_title": "Chair"})
            assert done.status_code == 200
    db.session.rollback()
    text = render_text(services.current_document(db.session.get(Letter, letter.id)))
    assert text.index("Families of the Missing") < text.index("Legal Aid Group")
    assert "Mariam Family, Chair" in text


def test_a_cosigner_must_name_an_authorised_person(app, organisation, letter):
    cosigner, _link = services.invite_cosigner(letter, "Some Group", None)
    with pytest.raises(CampaignError):
        services.accept_cosigning(cosigner, "", "")


def test_a_delivery_is_logged_with_its_response(client, organisation, letter, editor):
    services.finalise(letter, None)
    db.session.commit()
    login(client, editor)
    base = f"/o/{organisation.slug}/letters/{letter.id}"
    post_form(client, f"{base}/deliveries", {
        "channel": "post", "sent_on": "2021-01-15", "reference": "RR123456",
        "response_on": "2021-02-20", "response_summary": "Acknowledged; raised with the state.",
        "follow_up_on": "2021-03-20"}, form_page=base)
    page = client.get(base).get_data(as_text=True)
    assert "RR123456" in page and "Acknowledged; raised with the state." in page
    assert "(v1)" in page


def test_figures_as_of_a_date_count_confirmed_signatures_up_to_that_day(app, organisation,
                                                                        petition):
    from datetime import date, datetime

    for day, country in [(1, "AM"), (2, "AM"), (3, "FR"), (20, "FR")]:
        factories.create_signature(petition, country=country,
                                   when=datetime(2026, 1, day, 12, tzinfo=UTC))
    letter = factories.create_letter(organisation, petition_id=petition.id,
                                     figures_as_of=date(2026, 1, 3), letter_date=date(2026, 1, 10))
    figures = services.figures_for(letter)
    assert figures.total == 3
    assert figures.top_countries == [("Armenia", 2), ("France", 1)]
    assert "As of 3 January 2026, 3 people have signed" in render_text(
        services.current_document(letter))


def test_a_treatys_participation_caveat_appears_once_however_many_articles_are_cited(
    app, organisation
):
    letter = factories.create_letter(organisation, body_id="ecthr",
                         legal_argument="Life [[echr-art2]], torture [[echr-art3]].")
    participation = [w for w in services.law_warnings(letter)
                     if "treaty database" in w.message]
    assert len(participation) == 1
    assert participation[0].provision.instrument.short_name == "ECHR"
