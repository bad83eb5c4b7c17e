"""What organisers save is exactly what they meant: real edits only, one petition state for
every reader, outcomes side by side, a goal that can be corrected, and no cached page that
hides a signer's own signature or shows another visitor's messages."""

from datetime import date, timedelta

from campaign.extensions import db
from campaign.petitions import services
from campaign.petitions.models import Petition, PetitionRevision
from campaign.signatures.management import SignatureFilter, invalidate
from campaign.types import utcnow
from tests import factories
from tests.browserform import form_on, send
from tests.conftest import (
    Browser,
    csrf_token_from,
    delivered_mail,
    link_in,
    login,
    relative,
    sign,
)

BODY = "The ceasefire promised an exchange.\n\nIt has not happened [1].\n"


def test_changing_only_the_goal_and_the_closing_date_is_not_an_edit_of_the_text(
    app, client, organisation, editor
):
    petition = factories.create_open_petition(organisation, body_markdown=BODY)
    login(client, editor)
    form = form_on(client, f"/o/{organisation.slug}/petitions/{petition.id}/edit", "Save")
    form.set("goal", "20000").set("closes_on", (date.today() + timedelta(days=60)).isoformat())
    assert send(client, form, "Save").status_code == 302
    db.session.rollback()
    assert db.session.get(Petition, petition.id).goal == 20000
    assert db.session.scalar(db.select(db.func.count(PetitionRevision.id))) == 0
    assert b"Edited on" not in Browser(app).get(f"/p/{petition.slug}").data


def test_line_endings_and_trailing_whitespace_are_tidied_before_comparing_and_storing(
    app, organisation
):
    petition = factories.create_open_petition(organisation, body_markdown=BODY)
    changed = services.edit_petition(petition, {
        "title": f"  {petition.title} ", "body_markdown": BODY.replace("\n", "\r\n") + "  \r\n",
        "demands": [d.text + "  " for d in petition.demands]})
    assert changed == []
    assert petition.revisions == []
    assert services.edit_petition(petition, {"body_markdown": "New text.\r\nSecond line. \r\n"}
                                  ) == ["body_markdown"]
    assert petition.body_markdown == "New text.\nSecond line."
    assert len(petition.revisions) == 1


def test_the_organiser_sets_the_order_of_the_addressees_with_their_numbers(
    app, client, organisation, editor
):
    petition = factories.create_open_petition(organisation)
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/edit"
    form = form_on(client, path, "Save")
    # The directory's third entry is added first; the first chosen one moves last.
    form.set("new_office", "Director of ODIHR")
    send(client, form, "Save")
    form = form_on(client, path, "Save")
    form.set("addressees-0-position", "3").set("addressees-1-position", "2")
    form.set("addressees-2-position", "1")
    send(client, form, "Save")
    page = Browser(app).get(f"/p/{petition.slug}").get_data(as_text=True)
    order = [page.index(office) for office in (
        "Director of ODIHR", "President of the International Committee of the Red Cross",
        "Secretary-General of the United Nations")]
    assert order == sorted(order)


def test_a_petition_past_its_closing_date_is_closed_for_every_reader(
    app, runner, organisation, editor
):
    petition = factories.create_open_petition(organisation)
    factories.create_signers(petition, 2)
    petition.closes_at = utcnow() - timedelta(days=2)  # the date passed; nobody pressed Close
    db.session.commit()
    visitor = Browser(app)
    assert b"This petition is closed" in visitor.get(f"/p/{petition.slug}").data
    public = visitor.get(f"/p/{petition.slug}.json").json
    assert public["state"] == "closed" and public["closed_at"] is not None
    assert public["next_goal"] is None
    key = factories.create_api_key(organisation, "read")
    api = visitor.get(f"/api/v1/petitions/{petition.id}", headers={"OSDI-API-Token": key}).json
    assert api["campaign:state"] == "closed" and api["campaign:next_goal"] is None
    client = Browser(app)
    login(client, editor)
    export = client.get(f"/o/{organisation.slug}/exports/counts.json?petition={petition.id}")
    assert export.json["petitions"][0]["state"] == "closed"
    assert b"State: closed" in client.get(f"/o/{organisation.slug}/petitions/{petition.id}").data
    assert b"Sign this petition" not in visitor.get("/").data
    db.session.rollback()  # the test's own reading ends before the command writes
    result = runner.invoke(args=["signatures", "anonymise", "--months", "0"])
    assert "anonymised 2 signatures" in result.output


def test_closing_asks_first_and_a_post_without_the_answer_closes_nothing(
    client, organisation, editor
):
    petition = factories.create_open_petition(organisation)
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/close"
    form = form_on(client, path, "Yes, close it")
    response = client.post(path, data={"csrf_token": form.submission()["csrf_token"]})
    assert response.status_code == 200 and b"Yes, close it" in response.data
    db.session.rollback()
    assert db.session.get(Petition, petition.id).current_state.value == "open"
    send(client, form)
    db.session.rollback()
    assert db.session.get(Petition, petition.id).current_state.value == "closed"


def test_delivered_and_won_are_both_recorded_shown_and_published(app, client, organisation,
                                                                 editor):
    petition = factories.create_open_petition(organisation)
    login(client, editor)
    dashboard = f"/o/{organisation.slug}/petitions/{petition.id}"
    form = form_on(client, dashboard, "Save the outcome")
    form.set("delivered_on", "2026-01-20").set("delivered_note", "Handed over in Geneva.")
    form.set("won_on", "2026-03-02").set("won_note", "All of them came home.")
    send(client, form)
    visitor = Browser(app)
    page = visitor.get(f"/p/{petition.slug}").get_data(as_text=True)
    assert "Delivered on January 20, 2026" in page and "Won on March 2, 2026" in page
    assert "Handed over in Geneva." in page and "All of them came home." in page
    assert "Next goal" not in page, "a won petition has no next goal"
    data = visitor.get(f"/p/{petition.slug}.json").json
    assert data["delivered"] == {"date": "2026-01-20", "note": "Handed over in Geneva."}
    assert data["won"] == {"date": "2026-03-02", "note": "All of them came home."}
    assert data["next_goal"] is None
    key = factories.create_api_key(organisation, "read")
    api = visitor.get(f"/api/v1/petitions/{petition.id}", headers={"OSDI-API-Token": key}).json
    assert api["campaign:delivered"]["date"] == "2026-01-20"
    assert api["campaign:won"]["note"] == "All of them came home."


def test_a_mistyped_goal_can_be_corrected_downwards_but_the_ladder_never_goes_down(
    app, client, organisation, editor
):
    petition = factories.create_open_petition(organisation, goal=500_000)
    factories.create_signers(petition, 30)
    factories.create_signers(petition, 30, country="US", start=100)
    visitor = Browser(app)
    assert visitor.get(f"/p/{petition.slug}.json").json["next_goal"] == 500_000
    invalidate(petition, SignatureFilter(country="US"), "bots", None)  # 60 -> 30
    db.session.commit()
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/edit"
    send(client, form_on(client, path, "Save").set("goal", "50000"), "Save")
    assert visitor.get(f"/p/{petition.slug}.json").json["next_goal"] == 50_000
    send(client, form_on(client, path, "Save").set("goal", ""), "Save")
    # Without the organiser's goal, the ladder's goal for 60 signatures stays: 100, not 50.
    assert visitor.get(f"/p/{petition.slug}.json").json["next_goal"] == 100


def test_back_to_the_petition_after_confirming_shows_the_new_count_and_the_name(app_factory):
    app = app_factory(PAGE_RENDER_CACHE_SECONDS=60)
    with app.app_context():
        petition = factories.create_open_petition(factories.create_organisation())
        slug = petition.slug
    signer = Browser(app)
    with app.app_context():
        assert b"<strong>0</strong>" in signer.get(f"/p/{slug}").data  # now in the page cache
        sign(signer, slug, show_name="y", full_name="Anna Petrosyan")
        [mail] = delivered_mail(app)
    with app.app_context():
        confirm = relative(link_in(mail, "/confirm/"))
        token = csrf_token_from(signer.get(confirm).get_data(as_text=True))
        thanks = signer.post(confirm, data={"csrf_token": token}, follow_redirects=True)
        back = thanks.get_data(as_text=True).split('">Back to the petition')[0].split('href="')[-1]
        petition_page = signer.get(back.replace("&amp;", "&"))
    assert petition_page.headers["Cache-Control"] == "no-store"
    html = petition_page.get_data(as_text=True)
    assert "<strong>1</strong>" in html
    assert "Anna &middot; France" in html


def test_a_visitors_flashed_message_is_never_cached_for_another(app_factory):
    app = app_factory(PAGE_RENDER_CACHE_SECONDS=60)
    with app.app_context():
        slug = factories.create_open_petition(factories.create_organisation()).slug
    first, second = Browser(app), Browser(app)
    with first.session_transaction() as session:
        session["_flashes"] = [("message", "Key cpn_ab12... revoked.")]
    with app.app_context():
        own = first.get(f"/p/{slug}")
    assert b"cpn_ab12" in own.data and own.headers["Cache-Control"] == "no-store"
    with app.app_context():
        other = second.get(f"/p/{slug}")
    assert b"cpn_ab12" not in other.data
    with first.session_transaction() as session:
        session["_flashes"] = [("message", "Saved.")]
    with app.app_context():
        index = first.get("/")
    assert b"Saved." in index.data
    assert "public" not in index.headers["Cache-Control"]
    with app.app_context():
        assert b"Saved." not in second.get("/").data


def test_a_logged_in_organiser_sees_the_public_page_fresh_after_an_edit(app_factory):
    app = app_factory(PAGE_RENDER_CACHE_SECONDS=60)
    with app.app_context():
        organisation = factories.create_organisation()
        petition = factories.create_open_petition(organisation)
        from campaign.accounts.models import Role

        editor = factories.create_member(organisation, Role.EDITOR)
        path, slug = f"/o/{organisation.slug}/petitions/{petition.id}/edit", petition.slug
    organiser = Browser(app)
    with app.app_context():
        login(organiser, db.session.merge(editor))
    assert organiser.get(f"/p/{slug}").headers["Cache-Control"] == "no-store"
    send(organiser, form_on(organiser, path, "Save").set("title", "A better title"), "Save")
    assert b"A better title" in organiser.get(f"/p/{slug}").data
