"""A supporter signs on a phone and confirms from the email, in a real browser."""

import pytest

from campaign.extensions import db
from campaign.signatures.counters import signature_count
from tests.conftest import delivered_mail, link_in

pytestmark = pytest.mark.browser


def test_a_supporter_signs_on_a_phone_and_confirms_by_email(app, petition, live_server, phone):
    phone.goto(f"{live_server}/p/{petition.slug}")
    assert phone.locator("h1").inner_text() == petition.title
    # The form fits the screen: no sideways scrolling on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.get_by_label("Full name", exact=True).fill("Narek Sargsyan")
    phone.get_by_label("Email", exact=True).fill("narek@example.org")
    phone.get_by_label("Country", exact=True).select_option("AM")
    phone.get_by_label("Show my first name and country on this page").check()
    phone.get_by_role("button", name="Sign").tap()
    phone.wait_for_url("**/check-your-inbox")
    assert "Check your inbox" in phone.locator("h1").inner_text()

    [message] = delivered_mail(app)
    phone.goto(link_in(message, "/confirm/"))
    phone.get_by_role("button", name="Confirm my signature").tap()
    phone.wait_for_url("**/thank-you")
    assert "your signature is counted" in phone.locator("h1").inner_text()

    db.session.rollback()
    assert signature_count(petition.id) == 1
    phone.goto(f"{live_server}/p/{petition.slug}")
    assert "Narek · Armenia" in phone.locator(".signers").inner_text()
    assert "narek@example.org" not in phone.content()


def test_a_mistake_is_shown_next_to_the_field_and_nothing_is_lost(app, petition, live_server,
                                                                  phone):
    phone.goto(f"{live_server}/p/{petition.slug}")
    phone.get_by_label("Full name", exact=True).fill("Anna Petrosyan")
    phone.get_by_label("Email", exact=True).fill("anna-at-example.org")
    phone.get_by_label("Country", exact=True).select_option("FR")
    phone.get_by_role("button", name="Sign").tap()
    phone.wait_for_load_state()
    error = phone.locator("#email-error")
    assert "does not look right" in error.inner_text()
    assert phone.get_by_label("Full name", exact=True).input_value() == "Anna Petrosyan"
    assert phone.get_by_label("Email", exact=True).get_attribute("aria-invalid") == "true"


def test_the_form_can_be_completed_with_the_keyboard_alone(app, petition, live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/p/{petition.slug}")
        page.get_by_label("Full name").focus()
        page.keyboard.type("Keyboard User")
        page.keyboard.press("Tab")
        page.keyboard.type("keys@example.org")
        page.keyboard.press("Tab")
        page.keyboard.type("Armenia")
        # Tab through the optional fields and both checkboxes; the honeypot is skipped.
        for _ in range(7):
            page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "Sign"
        page.keyboard.press("Enter")
        page.wait_for_url("**/check-your-inbox")
    finally:
        context.close()
