"""In a real browser: an organiser saves a published petition without touching it and nothing
changes; then sets the order of its addressees with their numbers. A signer back from
confirming sees their own signature counted."""

import pytest

from campaign.accounts.models import Role
from campaign.petitions.services import AddresseeData
from tests import factories
from tests.conftest import delivered_mail, link_in

pytestmark = pytest.mark.browser

OFFICES = ("Secretary-General of the United Nations", "President of the ICRC",
           "Director of ODIHR")


def _log_in(page, live_server, user):
    page.goto(f"{live_server}/login")
    page.get_by_label("Email", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/o/*/petitions/")


def test_saving_unchanged_changes_nothing_and_numbers_set_the_addressees_order(
    app, organisation, live_server, browser
):
    petition = factories.create_open_petition(organisation, addressees=[
        AddresseeData(office) for office in OFFICES[:2]])
    factories.create_addressee(OFFICES[2])
    organiser = factories.create_member(organisation, Role.EDITOR)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/p/{petition.slug}")
        before = page.locator("article.petition").inner_text()
        assert "Release every prisoner of war." in before

        _log_in(page, live_server, organiser)
        edit = f"{live_server}/o/{organisation.slug}/petitions/{petition.id}/edit"
        page.goto(edit)
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_url(f"**/petitions/{petition.id}")
        assert "Nothing changed." in page.locator(".flashes").inner_text()
        page.goto(f"{live_server}/p/{petition.slug}")
        assert page.locator("article.petition").inner_text() == before

        page.goto(edit)
        page.get_by_role("checkbox", name=OFFICES[2]).check()
        page.get_by_label(f"Position of {OFFICES[2]}").fill("1")
        page.get_by_label(f"Position of {OFFICES[0]}").fill("3")
        page.get_by_label(f"Position of {OFFICES[1]}").fill("2")
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_url(f"**/petitions/{petition.id}")
        page.goto(f"{live_server}/p/{petition.slug}")
        shown = page.locator(".addressees li .office").all_inner_texts()
        assert shown == [OFFICES[2], OFFICES[1], OFFICES[0]]
        # The edit page lists them in that order, numbered, for the next change.
        page.goto(edit)
        numbers = [page.get_by_label(f"Position of {office}").input_value()
                   for office in (OFFICES[2], OFFICES[1], OFFICES[0])]
        assert numbers == ["1", "2", "3"]
    finally:
        context.close()


def test_back_to_the_petition_after_confirming_shows_the_signers_own_signature(
    app, petition, live_server, phone
):
    app.config["PAGE_RENDER_CACHE_SECONDS"] = 60
    phone.goto(f"{live_server}/p/{petition.slug}")
    assert phone.locator(".count strong").inner_text() == "0"
    phone.get_by_label("Full name", exact=True).fill("Narek Sargsyan")
    phone.get_by_label("Email", exact=True).fill("narek@example.org")
    phone.get_by_label("Country", exact=True).select_option("AM")
    phone.get_by_label("Show my first name and country on this page").check()
    phone.get_by_role("button", name="Sign").tap()
    phone.wait_for_url("**/check-your-inbox")
    [message] = delivered_mail(app)
    phone.goto(link_in(message, "/confirm/"))
    phone.get_by_role("button", name="Confirm my signature").tap()
    phone.wait_for_url("**/thank-you")
    phone.get_by_role("link", name="Back to the petition").tap()
    phone.wait_for_load_state()
    assert phone.locator(".count strong").inner_text() == "1"
    assert "Narek · Armenia" in phone.locator(".signers").inner_text()
