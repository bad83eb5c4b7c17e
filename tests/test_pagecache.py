"""The rendered petition page is reused for a few seconds, with each visitor's own token."""

import re

from tests import factories
from tests.conftest import csrf_token_for, sign


def test_a_cached_page_still_carries_each_visitors_own_csrf_token(app_factory):
    app = app_factory(PAGE_RENDER_CACHE_SECONDS=60)
    with app.app_context():
        from tests import factories

        petition = factories.create_open_petition(factories.create_organisation())
        first, second = app.test_client(), app.test_client()
        token_one = csrf_token_for(app, first, f"/p/{petition.slug}")
        token_two = csrf_token_for(app, second, f"/p/{petition.slug}")
        assert token_one != token_two
        with app.app_context():
            assert sign(second, petition.slug).status_code == 303, "the token works"


def test_counts_on_a_cached_page_are_refreshed_after_the_cache_time(app_factory):
    app = app_factory(PAGE_RENDER_CACHE_SECONDS=60)
    from campaign.web import pagecache

    with app.app_context():
        from tests import factories

        petition = factories.create_open_petition(factories.create_organisation())
        client = app.test_client()
        assert b"<strong>0</strong>" in client.get(f"/p/{petition.slug}").data
        factories.create_signers(petition, 2)
        assert b"<strong>0</strong>" in client.get(f"/p/{petition.slug}").data, "still cached"
        pagecache.clear()
        page = client.get(f"/p/{petition.slug}").get_data(as_text=True)
        assert re.search(r"<strong>2</strong>", page)


def test_a_visitors_signed_token_is_handed_out_again_for_a_minute_and_works(
    app_factory, monkeypatch
):
    from campaign.web import pagecache

    app = app_factory(PAGE_RENDER_CACHE_SECONDS=60)
    with app.app_context():
        slug = factories.create_open_petition(factories.create_organisation()).slug
    path = f"/p/{slug}"
    visitor, stranger = app.test_client(), app.test_client()
    token = csrf_token_for(app, visitor, path)
    assert csrf_token_for(app, visitor, path) == token, "reused within the minute"
    assert csrf_token_for(app, stranger, path) != token, "never handed to another session"

    later = pagecache.time.monotonic() + pagecache.TOKEN_REUSE_SECONDS + 1
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: later)
    fresh = csrf_token_for(app, visitor, path)
    with app.app_context():
        response = visitor.post(f"{path}/sign", data={
            "csrf_token": fresh, "full_name": "Anna", "email": "anna@example.org",
            "country": "FR"})
    assert response.status_code == 303, "a token signed again after the minute works"
    with app.app_context():
        assert sign(stranger, slug).status_code == 303
