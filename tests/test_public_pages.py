"""What a visitor sees: the list of petitions, a petition page, its JSON figures."""

from campaign.extensions import db
from campaign.petitions.services import close_petition
from tests import factories


def _confirmed(petition, n, *, name, country, show_name, email=None):
    factories.create_signature(petition, name=name, email=email or f"signer{n}@example.org",
                               country=country, show_name=show_name)


def test_the_home_page_lists_open_petitions_with_their_counts(client, organisation):
    open_one = factories.create_open_petition(organisation, title="Free the detainees")
    factories.create_draft_petition(organisation, title="Secret draft")
    closed = factories.create_open_petition(organisation, title="Old campaign")
    close_petition(closed)
    _confirmed(open_one, 1, name="Anna Petrosyan", country="AM", show_name=False)
    db.session.commit()

    page = client.get("/").get_data(as_text=True)
    assert "Free the detainees" in page
    assert "<strong>1</strong> signature" in page
    assert "Secret draft" not in page
    assert "Old campaign" not in page


def test_the_petition_page_shows_addressees_text_demands_references_and_progress(
    client, petition
):
    for n in range(3):
        _confirmed(petition, n, name=f"Signer {n}", country="FR", show_name=False)
    db.session.commit()
    page = client.get(f"/p/{petition.slug}").get_data(as_text=True)
    assert petition.title in page
    assert "To:" in page
    assert "Secretary-General of the United Nations</span>, António Guterres" in page
    assert "President of the International Committee of the Red Cross" in page
    assert "exchange of <strong>all</strong> prisoners" in page
    assert "Release every prisoner of war." in page
    assert 'href="https://ihl-databases.icrc.org/en/ihl-treaties/gciii-1949/article-118"' in page
    assert '<progress max="10" value="3"' in page
    assert "Next goal: 10" in page


def test_addressees_keep_the_order_the_organiser_gave(client, petition):
    page = client.get(f"/p/{petition.slug}").get_data(as_text=True)
    assert page.index("Secretary-General") < page.index("International Committee of the Red")


def test_recent_signers_show_first_name_and_country_only_with_consent(client, petition):
    _confirmed(petition, 1, name="Lilit Hovhannisyan", country="AM", show_name=True,
               email="lilit.private@example.org")
    _confirmed(petition, 2, name="Hidden Hakobyan", country="FR", show_name=False)
    db.session.commit()
    page = client.get(f"/p/{petition.slug}").get_data(as_text=True)
    assert "Lilit &middot; Armenia" in page
    assert "Hovhannisyan" not in page
    assert "Hidden" not in page and "Hakobyan" not in page
    assert "@example.org" not in page


def test_pending_signers_are_never_listed(client, petition):
    factories.create_signature(petition, name="Pending Pat", show_name=True, state="pending")
    assert "Pending" not in client.get(f"/p/{petition.slug}").get_data(as_text=True)


def test_the_json_gives_the_public_figures_without_personal_data(client, petition):
    _confirmed(petition, 1, name="Lilit H", country="AM", show_name=True,
               email="lilit.private@example.org")
    _confirmed(petition, 2, name="Marie D", country="FR", show_name=False)
    _confirmed(petition, 3, name="Jean D", country="FR", show_name=False)
    db.session.commit()
    response = client.get(f"/p/{petition.slug}.json")
    assert response.status_code == 200
    data = response.json
    assert data["signature_count"] == 3
    assert data["goal"] is None
    assert data["next_goal"] == 10
    assert data["signatures_by_country"] == {"FR": 2, "AM": 1}
    assert data["state"] == "open"
    assert data["opened_at"] is not None
    assert [a["office"] for a in data["addressees"]] == [
        "Secretary-General of the United Nations",
        "President of the International Committee of the Red Cross",
    ]
    assert data["addressees"][0]["holder"] == "António Guterres"
    text = response.get_data(as_text=True)
    assert "lilit" not in text.lower()
    assert "@" not in text
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_the_petition_page_may_be_cached_briefly_by_the_browser_only(client, petition):
    cache = client.get(f"/p/{petition.slug}").headers["Cache-Control"]
    assert cache.startswith("private")
    assert "max-age=" in cache and "stale-while-revalidate=" in cache
    assert client.get(f"/p/{petition.slug}.json").headers["Cache-Control"].startswith("public")


def test_pages_send_security_headers(client, petition):
    headers = client.get(f"/p/{petition.slug}").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_form_is_labelled_for_screen_readers_and_private_by_default(client, petition):
    page = client.get(f"/p/{petition.slug}").get_data(as_text=True)
    for field in ("full_name", "email", "country", "postal_code", "city", "comment",
                  "show_name", "contact_ok"):
        assert f'<label for="{field}"' in page
    assert 'id="show_name" name="show_name" type="checkbox" value="y">' in page
    assert "checked" not in page
    assert 'autocomplete="email"' in page


def test_countries_are_named_and_sorted_for_the_reader(client, petition):
    page = client.get(f"/p/{petition.slug}").get_data(as_text=True)
    assert '<option value="AM">Armenia</option>' in page
    assert page.index(">Afghanistan<") < page.index(">Zimbabwe<")


def test_an_organisers_markdown_cannot_inject_script(client, organisation):
    petition = factories.create_open_petition(
        organisation, body_markdown="Hi <script>alert(1)</script>")
    page = client.get(f"/p/{petition.slug}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
