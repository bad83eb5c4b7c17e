"""Organisers write, preview, publish, edit and close petitions."""

from campaign.accounts.models import AuditEvent
from campaign.extensions import db
from campaign.petitions.models import Addressee, Petition, PetitionRevision, PetitionState
from tests import factories
from tests.conftest import csrf_token_from, login, post_form

NEW_PETITION = {
    "title": "Free the hostages",
    "slug": "free-the-hostages",
    "summary": "All hostages must go home.",
    "body_markdown": "They were taken **after** the ceasefire [1].",
    "demands": "Release every hostage.\nLet the ICRC visit them.",
    "references": "GC IV, Art. 34 | https://ihl-databases.icrc.org/en/ihl-treaties/gciv-1949/article-34",
    "goal": "5000",
    "language": "en",
}


def _directory(*offices):
    entries = [Addressee(office_title=o) for o in offices]
    db.session.add_all(entries)
    db.session.commit()
    return entries


def test_an_editor_writes_a_petition_with_two_addressees_one_added_in_place(
    client, organisation, editor
):
    [un] = _directory("Secretary-General of the United Nations")
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/new"
    response = post_form(client, path, {
        **NEW_PETITION, "addressees": [str(un.id)],
        "new_office": "President of the ICRC", "new_holder": "Mirjana Spoljaric Egger",
        "new_institution": "ICRC", "save": "1"})
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
    path = f"/o/{organisation.slug}/petitions/new"
    response = post_form(client, path, {
        **NEW_PETITION, "body_markdown": "**Bold** <script>alert(1)</script>", "preview": "1"})
    assert response.status_code == 200
    assert b"<strong>Bold</strong>" in response.data
    assert b"<script>alert(1)" not in response.data
    assert db.session.scalar(db.select(db.func.count(Petition.id))) == 0


def test_bad_input_is_explained_and_nothing_is_saved(client, organisation, editor):
    factories.create_draft_petition(organisation, slug="taken")
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/new"
    cases = [({"slug": "Not A Slug"}, b"lower-case letters"),
             ({"references": "Title | javascript:alert(1)"}, b"must start with http"),
             ({"goal": "-5"}, b"Number must be"),
             ({"title": ""}, b"This field is required"),
             ({"new_holder": "Somebody"}, b"needs the office")]
    for change, message in cases:
        response = post_form(client, path, {**NEW_PETITION, **change, "save": "1"})
        assert response.status_code == 422, change
        assert message in response.data, change
    taken = post_form(client, path, {**NEW_PETITION, "slug": "taken", "save": "1"})
    assert taken.status_code == 409
    assert db.session.scalar(db.select(db.func.count(Petition.id))) == 1


def test_publishing_makes_the_petition_public_and_closing_stops_signatures(
    client, organisation, editor
):
    petition = factories.create_draft_petition(organisation)
    login(client, editor)
    base = f"/o/{organisation.slug}/petitions/{petition.id}"
    post_form(client, f"{base}/publish", form_page=base)
    assert client.get(f"/p/{petition.slug}").status_code == 200
    post_form(client, f"{base}/close", form_page=base)
    assert b"This petition is closed" in client.get(f"/p/{petition.slug}").data
    actions = db.session.scalars(db.select(AuditEvent.details)).all()
    assert {"state": "open"} in actions and {"state": "closed"} in actions


def test_a_petition_without_addressees_cannot_be_published(client, organisation, editor):
    petition = factories.create_draft_petition(organisation, addressees=[])
    login(client, editor)
    base = f"/o/{organisation.slug}/petitions/{petition.id}"
    post_form(client, f"{base}/publish", form_page=base)
    db.session.rollback()
    assert db.session.get(Petition, petition.id).state == PetitionState.DRAFT


def test_editing_public_text_keeps_a_revision_and_says_so_publicly(client, organisation, editor):
    petition = factories.create_open_petition(organisation, title="Original title")
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/edit"
    page = client.get(path)
    assert b'value="Original title"' in page.data
    ids = [str(a.id) for a in petition.addressees]
    response = client.post(path, data={
        "csrf_token": csrf_token_from(page.get_data(True)), "title": "Better title",
        "summary": petition.summary, "body_markdown": petition.body_markdown,
        "demands": "\n".join(d.text for d in petition.demands), "references": "",
        "addressees": list(reversed(ids)), "language": "en", "save": "1"})
    assert response.status_code == 302
    db.session.rollback()
    [revision] = db.session.scalars(db.select(PetitionRevision)).all()
    assert revision.title == "Original title"
    reloaded = db.session.get(Petition, petition.id)
    assert reloaded.title == "Better title"
    assert [str(a.id) for a in reloaded.addressees] == list(reversed(ids))
    assert b"Edited on" in client.get(f"/p/{petition.slug}").data


def test_editing_a_draft_keeps_no_revision(client, organisation, editor):
    petition = factories.create_draft_petition(organisation)
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/edit"
    post_form(client, path, {"title": "Changed", "language": "en", "save": "1"})
    assert db.session.scalar(db.select(db.func.count(PetitionRevision.id))) == 0


def test_an_outcome_appears_on_the_public_page(client, organisation, editor):
    petition = factories.create_open_petition(organisation)
    login(client, editor)
    base = f"/o/{organisation.slug}/petitions/{petition.id}"
    post_form(client, f"{base}/outcome", {"outcome": "delivered", "outcome_on": "2026-11-20",
                                          "outcome_note": "Handed to the UN in Geneva."},
              form_page=base)
    page = client.get(f"/p/{petition.slug}").get_data(as_text=True)
    assert "Delivered on November 20, 2026" in page
    assert "Handed to the UN in Geneva." in page


def test_an_outcome_without_a_date_is_refused(client, organisation, editor):
    petition = factories.create_open_petition(organisation)
    login(client, editor)
    base = f"/o/{organisation.slug}/petitions/{petition.id}"
    post_form(client, f"{base}/outcome", {"outcome": "won"}, form_page=base)
    db.session.rollback()
    assert db.session.get(Petition, petition.id).outcome is None
