"""Organisers search signatures and invalidate abusive ones by criteria, with undo."""

from datetime import timedelta

from campaign.accounts.models import AuditEvent
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.signatures.counters import (
    add_pending,
    add_to_counts,
    counts_by,
    find_drift,
    pending_count,
    signature_count,
)
from campaign.signatures.models import CountDimension, Signature, SignatureState
from campaign.types import utcnow
from tests.conftest import csrf_token_from, login


def _signature(petition, n, *, email=None, country="FR", state=SignatureState.CONFIRMED,
               source=None, name=None, days_ago=0):
    when = utcnow() - timedelta(days=days_ago)
    email = email or f"s{n}@example.org"
    signature = Signature(petition=petition, full_name=name or f"Signer {n}", email=email,
                          email_normalised=email, country=country, source=source, state=state,
                          created_at=when,
                          confirmed_at=when if state == SignatureState.CONFIRMED else None)
    db.session.add(signature)
    if state == SignatureState.CONFIRMED:
        add_to_counts(petition.id, country=country, day=when.date(), source=source, delta=1)
    elif state == SignatureState.PENDING:
        add_pending(petition.id, 1)
    return signature


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
    page = client.get(path)
    token = csrf_token_from(page.get_data(True))
    preview = client.post(path, data={"csrf_token": token, "email_domain": "spam.example",
                                      "preview": "1"})
    assert b"7 signatures match." in preview.data
    assert signature_count(petition.id) == 10, "a preview changes nothing"

    done = client.post(path, data={"csrf_token": token, "email_domain": "spam.example",
                                   "reason": "Bot wave from one ad network", "confirm": "1"})
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
    token = csrf_token_from(client.get(path).get_data(True))
    client.post(path, data={"csrf_token": token, "country": "US", "reason": "Suspicious",
                            "confirm": "1"})
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
    token = csrf_token_from(client.get(path).get_data(True))
    everything = client.post(path, data={"csrf_token": token, "reason": "x", "confirm": "1"})
    assert everything.status_code == 422
    assert b"at least one criterion" in everything.data
    no_reason = client.post(path, data={"csrf_token": token, "country": "US", "confirm": "1"})
    assert no_reason.status_code == 422
    assert b"Give the reason" in no_reason.data
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
    token = csrf_token_from(client.get(path).get_data(True))
    client.post(path, data={"csrf_token": token, "email_domain": "spam.example",
                            "reason": "spam", "confirm": "1"})
    data = client.get(f"/p/{petition.slug}.json").json
    assert data["signature_count"] == 5
    assert data["next_goal"] == 50
    db.session.rollback()
    assert db.session.get(Petition, petition.id).highest_goal_shown == 50
