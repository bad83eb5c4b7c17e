"""An organiser logs in, writes a petition to two decision makers, publishes it, and finds it
on the public page; in a real browser."""

import pytest

from campaign.accounts.models import Role
from tests import factories

pytestmark = pytest.mark.browser


def test_an_organiser_creates_and_publishes_a_petition(app, organisation, live_server, browser):
    factories.create_addressee("Secretary-General of the United Nations", "António Guterres",
                               "United Nations")
    organiser = factories.create_member(organisation, Role.EDITOR, email="lead@example.org")
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/login")
        page.get_by_label("Email", exact=True).fill(organiser.email)
        page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/o/*/petitions/")

        page.get_by_role("link", name="New petition").click()
        page.get_by_label("Title", exact=True).fill("Return the detained civilians")
        page.get_by_label("Address (/p/...)").fill("return-the-civilians")
        page.get_by_label("Summary", exact=True).fill("Every civilian detained must go home.")
        page.get_by_label("Text (Markdown)").fill("Civilians are **protected persons**.")
        page.get_by_role("button", name="Preview the text").click()
        assert page.locator(".preview strong").inner_text() == "protected persons"
        page.locator("#demands-0-text").fill("Release them now.")
        page.get_by_role("checkbox", name="Secretary-General of the United Nations").check()
        page.get_by_text("Add a decision maker who is not listed").click()
        page.get_by_label("Office", exact=True).fill("President of the ICRC")
        page.get_by_label("Holder", exact=True).fill("Mirjana Spoljaric Egger")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url("**/petitions/*")
        assert "Draft saved" in page.locator(".flashes").inner_text()

        page.get_by_role("button", name="Publish").click()
        assert "Published" in page.locator(".flashes").inner_text()
        page.get_by_role("link", name="Public page").click()
        page.wait_for_url("**/p/return-the-civilians")
        assert page.locator("h1").inner_text() == "Return the detained civilians"
        addressees = page.locator(".addressees").inner_text()
        assert "Secretary-General of the United Nations, António Guterres" in addressees
        assert "President of the ICRC, Mirjana Spoljaric Egger" in addressees
        assert page.get_by_role("button", name="Sign").is_visible()
    finally:
        context.close()
