"""Organisers search signatures and invalidate abusive ones by criteria, with undo."""

from datetime import timedelta

from campaign.accounts.models import AuditEvent
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.signatures.counters import (
    counts_by,
    find_drift,
    pending_count,
    signature_count,
)
from campaign.signatures.models import CountDimension, Signature, SignatureState
from campaign.types import utcnow
from tests import factories
from tests.browserform import form_in, form_on, forms_in, send
from tests.conftest import csrf_token_from, login


def _signature(petition, n, *, email=None, country="FR", state=SignatureState.CONFIRMED,
               source=None, name=None, days_ago=0):
    return factories.create_signature(
        petition, name=name or f"Signer {n}", email=email or f"s{n}@example.org",
        country=country, source=source, state=state.value,
        when=utcnow() - timedelta(days=days_ago) if days_ago else None)


def _count_matching(client, path, **criteria):
    """Fill in the criteria and press the count button, as an organiser does."""
    form = form_on(client, path, button="Count matching signatures")
    for name, value in criteria.items():
        form.set(name, value)
    return send(client, form)


def _invalidate(client, path, reason, **criteria):
    """Count, then invalidate what was counted, giving a reason."""
    counted = _count_matching(client, path, **criteria)
    confirm = form_in(counted.get_data(as_text=True), path, button="Invalidate")
    return send(client, confirm.set("reason", reason))


def _spam_wave(petition):
    for n in range(4):
        _signature(petition, n)
    for n in range(4, 10):
        _signature(petition, n, email=f"bot{n}@spam.example", country="US", source="ad")
    _signature(petition, 10, email="bot10@spam.example", state=SignatureState.PENDING)
    db.session.commit()


def test_search_filters_by_text_country_state_and_source(client, organisation, petition, editor):
    _spam_wave(petition)
    login(client, editor)
    base = f"/o/{organisation.slug}/petitions/{petition.id}/signatures"
    assert b"11 signatures found" in client.get(base).data
    assert b"6 signatures found" in client.get(f"{base}?country=US").data
    assert b"1 signature found" in client.get(f"{base}?state=pending").data
    assert b"6 signatures found" in client.get(f"{base}?source=ad").data
    found = client.get(f"{base}?text=signer+3").data
    assert b"1 signature found" in found and b"<td>Signer 3</td>" in found
    assert b"s3@example.org" not in found, "no email of a signer who did not agree"


def test_search_pages_through_many_signatures(client, organisation, petition, editor):
    for n in range(120):
        _signature(petition, n)
    db.session.commit()
    login(client, editor)
    base = f"/o/{organisation.slug}/petitions/{petition.id}/signatures"
    first = client.get(base).get_data(as_text=True)
    assert "Page 1 of 3" in first
    assert first.count("<tr><td>Signer ") == 50
    last = client.get(f"{base}?page=3").get_data(as_text=True)
    assert last.count("<tr><td>Signer ") == 20


def test_a_bad_search_value_is_explained(client, organisation, petition, editor):
    login(client, editor)
    base = f"/o/{organisation.slug}/petitions/{petition.id}/signatures"
    response = client.get(f"{base}?country=France&since=yesterday")
    assert response.status_code == 422
    assert b"two-letter country code" in response.data


def test_invalidating_by_criteria_previews_then_acts_and_counts_follow(
    client, organisation, petition, editor
):
    _spam_wave(petition)
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/invalidate"
    goal_before = client.get(f"/p/{petition.slug}.json").json["next_goal"]
    preview = _count_matching(client, path, email_domain="spam.example")
    assert b"7 signatures match." in preview.data
    assert signature_count(petition.id) == 10, "a preview changes nothing"

    done = _invalidate(client, path, "Bot wave from one ad network",
                       email_domain="spam.example")
    assert done.status_code == 302
    db.session.rollback()
    assert signature_count(petition.id) == 4
    assert pending_count(petition.id) == 0
    assert counts_by(petition.id, CountDimension.COUNTRY) == {"FR": 4}
    assert find_drift([petition.id]) == []
    assert client.get(f"/p/{petition.slug}.json").json["next_goal"] >= goal_before
    invalidated = db.session.scalars(db.select(Signature).where(
        Signature.state == SignatureState.INVALIDATED)).all()
    assert {s.invalidation_reason for s in invalidated} == {"Bot wave from one ad network"}
    assert len(invalidated) == 7
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "signatures.invalidated"))
    assert event.details["count"] == 7


def test_an_invalidation_can_be_undone(client, organisation, petition, editor):
    _spam_wave(petition)
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/invalidate"
    _invalidate(client, path, "Suspicious", country="US")
    db.session.rollback()
    assert signature_count(petition.id) == 4
    page = client.get(path).get_data(as_text=True)
    undo = next(part.split('"')[0] for part in page.split('action="')[1:] if "/undo" in part)
    client.post(undo, data={"csrf_token": csrf_token_from(page)})
    db.session.rollback()
    assert signature_count(petition.id) == 10
    assert counts_by(petition.id, CountDimension.COUNTRY) == {"US": 6, "FR": 4}
    assert find_drift([petition.id]) == []
    assert db.session.scalar(db.select(db.func.count(Signature.id)).where(
        Signature.state == SignatureState.INVALIDATED)) == 0


def test_an_invalidation_needs_a_criterion_and_a_reason(client, organisation, petition, editor):
    _spam_wave(petition)
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/invalidate"
    everything = _count_matching(client, path)
    assert everything.status_code == 422
    assert b"at least one criterion" in everything.data
    assert b"Invalidate these" not in everything.data
    no_reason = _invalidate(client, path, "", country="US")
    assert no_reason.status_code == 422
    assert b"Give the reason" in no_reason.data
    assert b'value="US"' in no_reason.data, "the criteria counted are shown again"
    db.session.rollback()
    assert signature_count(petition.id) == 10


def test_the_goal_shown_survives_a_large_invalidation(client, organisation, editor):
    from tests import factories

    petition = factories.create_open_petition(organisation)
    for n in range(30):
        _signature(petition, n, email=f"s{n}@spam.example" if n >= 5 else None)
    db.session.commit()
    assert client.get(f"/p/{petition.slug}.json").json["next_goal"] == 50
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/invalidate"
    _invalidate(client, path, "spam", email_domain="spam.example")
    data = client.get(f"/p/{petition.slug}.json").json
    assert data["signature_count"] == 5
    assert data["next_goal"] == 50
    db.session.rollback()
    assert db.session.get(Petition, petition.id).highest_ladder_goal == 50


def test_the_default_button_of_the_criteria_form_only_counts(client, organisation, petition,
                                                             editor):
    _spam_wave(petition)
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/invalidate"
    counted = _count_matching(client, path, country="US")
    criteria = form_in(counted.get_data(as_text=True), path, button="Count matching")
    assert [b.label for b in criteria.buttons] == ["Count matching signatures"]
    # The organiser changes the country and presses Enter: the new criteria are counted.
    pressed_enter = send(client, criteria.set("country", "FR"))
    assert b"5 signatures match." in pressed_enter.data
    db.session.rollback()
    assert signature_count(petition.id) == 10


def test_invalidating_acts_on_the_criteria_counted_not_on_what_the_request_says(
    client, organisation, petition, editor
):
    _spam_wave(petition)
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/invalidate"
    counted = _count_matching(client, path, email_domain="spam.example", country="US")
    assert b"6 signatures match." in counted.data
    confirm = form_in(counted.get_data(as_text=True), path, button="Invalidate")
    data = confirm.set("reason", "bots").submission(confirm.button("Invalidate"))
    data["country"] = "FR"  # criteria slipped into the request are not read
    data["email_domain"] = ""
    assert client.post(path, data=data).status_code == 302
    db.session.rollback()
    assert counts_by(petition.id, CountDimension.COUNTRY) == {"FR": 4}


def test_signatures_that_arrive_after_the_count_are_never_invalidated_unseen(
    client, organisation, petition, editor
):
    _spam_wave(petition)
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/invalidate"
    counted = _count_matching(client, path, country="US")
    confirm = form_in(counted.get_data(as_text=True), path, button="Invalidate")
    _signature(petition, 99, email="late@example.org", country="US")
    db.session.commit()
    assert send(client, confirm.set("reason", "bots")).status_code == 302
    db.session.rollback()
    late = db.session.scalar(db.select(Signature).where(
        Signature.email == "late@example.org"))
    assert late.state == SignatureState.CONFIRMED
    assert signature_count(petition.id) == 5


def test_a_count_that_changed_since_the_preview_invalidates_nothing(client, organisation,
                                                                    petition, editor):
    _spam_wave(petition)
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/invalidate"
    counted = _count_matching(client, path, country="US")
    confirm = form_in(counted.get_data(as_text=True), path, button="Invalidate")
    gone = db.session.scalar(db.select(Signature).where(Signature.country == "US"))
    _invalidate(client, path, "first", text=gone.email)  # someone acts on one of them first
    response = send(client, confirm.set("reason", "bots"))
    assert response.status_code == 422
    assert b"not the 6 counted" in response.data
    assert b"5 signatures match." in response.data, "counted again"
    db.session.rollback()
    assert signature_count(petition.id) == 9


def test_no_invalidate_button_when_nothing_matches(client, organisation, petition, editor):
    _spam_wave(petition)
    login(client, editor)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/invalidate"
    counted = _count_matching(client, path, country="DE")
    assert b"0 signatures match." in counted.data
    assert not [f for f in forms_in(counted.get_data(as_text=True))
                if any("Invalidate" in b.label for b in f.buttons)]
