"""Organisers write, preview, publish, edit and close petitions."""

from campaign.accounts.models import AuditEvent
from campaign.extensions import db
from campaign.petitions.models import Addressee, Petition, PetitionRevision, PetitionState
from tests import factories
from tests.browserform import form_on, send
from tests.conftest import login

NEW_PETITION = {
    "title": "Free the hostages",
    "slug": "free-the-hostages",
    "summary": "All hostages must go home.",
    "body_markdown": "They were taken **after** the ceasefire [1].",
    "demands-0-text": "Release every hostage.",
    "demands-1-text": "Let the ICRC visit them.",
    "references-0-title": "GC IV, Art. 34",
    "references-0-url": "https://ihl-databases.icrc.org/en/ihl-treaties/gciv-1949/article-34",
    "goal": "5000",
    "language": "en",
}


def _new_petition_form(client, organisation, **fields):
    """The new-petition page's form, filled in as an organiser would."""
    form = form_on(client, f"/o/{organisation.slug}/petitions/new", button="Save")
    for name, value in {**NEW_PETITION, **fields}.items():
        form.set(name, value)
    return form


def _directory(*offices):
    entries = [Addressee(office_title=o) for o in offices]
    db.session.add_all(entries)
    db.session.commit()
    return entries


def test_an_editor_writes_a_petition_with_two_addressees_one_added_in_place(
    client, organisation, editor
):
    _directory("Secretary-General of the United Nations")
    login(client, editor)
    form = _new_petition_form(client, organisation, new_office="President of the ICRC",
                              new_holder="Mirjana Spoljaric Egger", new_institution="ICRC")
    form.check("addressees-0-chosen", "y")
    response = send(client, form, "Save")
    assert response.status_code == 302
    petition = db.session.scalar(db.select(Petition).where(Petition.slug == "free-the-hostages"))
    assert petition.state == PetitionState.DRAFT
    assert [a.office_title for a in petition.addressees] == [
        "Secretary-General of the United Nations", "President of the ICRC"]
    assert [d.text for d in petition.demands] == ["Release every hostage.",
                                                   "Let the ICRC visit them."]
    assert petition.references[0].url.endswith("/article-34")
    assert petition.goal == 5000
    assert "<strong>after</strong>" in petition.body_html
    assert client.get("/p/free-the-hostages").status_code == 404, "a draft is not public"


def test_preview_renders_the_sanitised_markdown_and_saves_nothing(client, organisation, editor):
    login(client, editor)
    form = _new_petition_form(client, organisation,
                              body_markdown="**Bold** <script>alert(1)</script>")
    response = send(client, form, "Preview the text")
    assert response.status_code == 200
    assert b"<strong>Bold</strong>" in response.data
    assert b"<script>alert(1)" not in response.data
    assert db.session.scalar(db.select(db.func.count(Petition.id))) == 0


def test_bad_input_is_explained_and_nothing_is_saved(client, organisation, editor):
    factories.create_draft_petition(organisation, slug="taken")
    login(client, editor)
    cases = [({"slug": "Not A Slug"}, b"lower-case letters"),
             ({"references-0-url": "javascript:alert(1)"}, b"must start with http"),
             ({"goal": "-5"}, b"Number must be"),
             ({"title": ""}, b"This field is required"),
             ({"new_holder": "Somebody"}, b"needs the office")]
    for change, message in cases:
        response = send(client, _new_petition_form(client, organisation, **change), "Save")
        assert response.status_code == 422, change
        assert message in response.data, change
    taken = send(client, _new_petition_form(client, organisation, slug="taken"), "Save")
    assert taken.status_code == 409
    assert db.session.scalar(db.select(db.func.count(Petition.id))) == 1


def test_publishing_makes_the_petition_public_and_closing_stops_signatures(
    client, organisation, editor
):
    petition = factories.create_draft_petition(organisation)
    login(client, editor)
    base = f"/o/{organisation.slug}/petitions/{petition.id}"
    send(client, form_on(client, base, button="Publish"))
    assert client.get(f"/p/{petition.slug}").status_code == 200
    asked = client.get(base).get_data(as_text=True)
    assert f'href="{base}/close"' in asked, "closing is a link to a page that asks first"
    assert b"Yes, close it" in client.get(f"{base}/close").data
    assert b"Sign this petition" in client.get(f"/p/{petition.slug}").data, "only asked"
    send(client, form_on(client, f"{base}/close", button="Yes, close it"))
    assert b"This petition is closed" in client.get(f"/p/{petition.slug}").data
    actions = db.session.scalars(db.select(AuditEvent.details)).all()
    assert {"state": "open"} in actions and {"state": "closed"} in actions


def test_a_petition_without_addressees_cannot_be_published(client, organisation, editor):
    petition = factories.create_draft_petition(organisation, addressees=[])
    login(client, editor)
    base = f"/o/{organisation.slug}/petitions/{petition.id}"
    send(client, form_on(client, base, button="Publish"))
    db.session.rollback()
    assert db.session.get(Petition, petition.id).state == PetitionState.DRAFT


def test_editing_public_text_keeps_a_revision_and_says_so_publicly(client, organisation, editor):
    petition = factories.create_open_petition(organisation, title="Original title")
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/edit"
    ids = [a.id for a in petition.addressees]
    form = form_on(client, path, button="Save")
    form.set("title", "Better title")
    form.set("addressees-0-position", "2").set("addressees-1-position", "1")
    response = send(client, form, "Save")
    assert response.status_code == 302
    db.session.rollback()
    [revision] = db.session.scalars(db.select(PetitionRevision)).all()
    assert revision.title == "Original title"
    reloaded = db.session.get(Petition, petition.id)
    assert reloaded.title == "Better title"
    assert [a.id for a in reloaded.addressees] == list(reversed(ids))
    assert b"Edited on" in client.get(f"/p/{petition.slug}").data


def test_editing_a_draft_keeps_no_revision(client, organisation, editor):
    petition = factories.create_draft_petition(organisation)
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/edit"
    send(client, form_on(client, path, button="Save").set("title", "Changed"), "Save")
    db.session.rollback()
    assert db.session.get(Petition, petition.id).title == "Changed"
    assert db.session.scalar(db.select(db.func.count(PetitionRevision.id))) == 0


def test_an_outcome_appears_on_the_public_page(client, organisation, editor):
    petition = factories.create_open_petition(organisation)
    login(client, editor)
    base = f"/o/{organisation.slug}/petitions/{petition.id}"
    form = form_on(client, base, button="Save the outcome")
    form.set("delivered_on", "2026-01-20").set("delivered_note", "Handed to the UN in Geneva.")
    send(client, form)
    page = client.get(f"/p/{petition.slug}").get_data(as_text=True)
    assert "Delivered on January 20, 2026" in page
    assert "Handed to the UN in Geneva." in page


def test_an_outcome_note_without_a_date_is_refused(client, organisation, editor):
    petition = factories.create_open_petition(organisation)
    login(client, editor)
    base = f"/o/{organisation.slug}/petitions/{petition.id}"
    send(client, form_on(client, base, button="Save the outcome").set("won_note", "We won"))
    db.session.rollback()
    assert db.session.get(Petition, petition.id).won_on is None
    assert db.session.get(Petition, petition.id).won_note is None
