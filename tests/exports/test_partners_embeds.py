"""Partners see their own figures; other sites embed the count and a badge."""

import re

from campaign.extensions import db
from campaign.signatures.models import Signature
from tests import factories
from tests.conftest import login, post_form, sign


def _add_partner(client, organisation, petition, name="Partner A", code="partner-a"):
    base = f"/o/{organisation.slug}/petitions/{petition.id}/partners"
    page = post_form(client, base, {"name": name, "code": code})
    match = re.search(r"<code>(https?://\S+/partners/[^<]+)</code>", page.get_data(True))
    return match.group(1) if match else None, page


def test_a_partner_sees_its_own_counts_and_never_signer_data(client, organisation, petition,
                                                            editor):
    factories.create_signers(petition, 3, source="partner-a", country="AM")
    factories.create_signers(petition, 2, source="partner-b", start=10)
    login(client, editor)
    link, _page = _add_partner(client, organisation, petition)
    _add_partner(client, organisation, petition, "Partner B", "partner-b")
    partner = client.application.test_client()
    path = re.sub(r"^https?://[^/]+", "", link)
    page = partner.get(path).get_data(as_text=True)
    assert "<strong>3</strong> confirmed signatures through your link" in page
    assert "Armenia" in page
    assert "@example.org" not in page and "Signer Number" not in page
    csv_text = partner.get(f"{path}/counts.csv").get_data(as_text=True)
    assert "total,,3" in csv_text and "@" not in csv_text
    assert partner.get("/partners/not-a-real-link").status_code == 404


def test_signing_through_a_partner_link_is_credited_to_the_partner(client, organisation,
                                                                   petition, editor):
    login(client, editor)
    _add_partner(client, organisation, petition)
    app = client.application
    db.session.rollback()  # end the organiser's request transaction, as a real request would
    with app.app_context():  # a visitor of its own, not the logged-in organiser
        visitor = app.test_client()
        page = visitor.get(f"/p/{petition.slug}?source=partner-a")
        assert b'value="partner-a"' in page.data
        assert sign(visitor, petition.slug, source="partner-a").status_code == 303
    db.session.rollback()
    assert db.session.scalar(db.select(Signature.source)) == "partner-a"


def test_a_partner_code_is_unique_and_well_formed(client, organisation, petition, editor):
    login(client, editor)
    _add_partner(client, organisation, petition)
    _link, page = _add_partner(client, organisation, petition, "Copy", "partner-a")
    assert b"already uses the code" in page.data
    _link, page = _add_partner(client, organisation, petition, "Bad", "has spaces")
    assert b"tracking code uses letters" in page.data


def test_the_embed_may_be_framed_and_links_to_signing(client, petition):
    factories.create_signers(petition, 4)
    response = client.get(f"/p/{petition.slug}/embed")
    assert response.status_code == 200
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"].startswith("public")
    assert b"<strong>4</strong>" in response.data
    assert b"source=embed" in response.data
    assert client.get(f"/p/{petition.slug}").headers["X-Frame-Options"] == "DENY"


def test_the_badge_is_an_svg_with_the_count_and_goal(client, petition):
    factories.create_signers(petition, 12)
    response = client.get(f"/p/{petition.slug}/badge.svg")
    assert response.mimetype == "image/svg+xml"
    assert b"12 / 25" in response.data
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/p/nope/badge.svg").status_code == 404
