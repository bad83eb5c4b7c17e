"""Organisers browse and search the catalogue, and see which facts are unconfirmed."""

from campaign.legal.catalogue import catalogue
from tests.conftest import login


def test_organisers_search_the_catalogue_and_see_caveats(client, organisation, viewer):
    login(client, viewer)
    base = f"/o/{organisation.slug}/letters/catalogue"
    page = client.get(f"{base}?q=missing&tag=missing&instrument=api").get_data(as_text=True)
    assert "AP I, 33" in page and "[[api-art33]]" in page
    assert "GC III" not in page.split("provisions</p>")[1]
    unconfirmed = client.get(f"{base}?instrument=api").get_data(as_text=True)
    assert "AP I, 34" in unconfirmed and "unconfirmed" in unconfirmed
    assert "Not confirmed against a primary source" in unconfirmed


def test_an_unknown_instrument_filter_is_ignored_rather_than_an_error(client, organisation,
                                                                      viewer):
    login(client, viewer)
    response = client.get(f"/o/{organisation.slug}/letters/catalogue?instrument=nope&tag=bad")
    assert response.status_code == 200
    assert f"{len(catalogue().provisions)} provisions" in response.get_data(as_text=True)
