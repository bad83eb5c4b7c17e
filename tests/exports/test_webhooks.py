"""Webhooks reach a real HTTP receiver on loopback: signed, idempotent, retried, once."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest

from campaign.exports.webhooks import create_webhook
from campaign.extensions import db
from campaign.mail.delivery import drain_outbox
from campaign.mail.models import OutboxMessage
from campaign.types import utcnow
from tests import factories
from tests.conftest import csrf_token_from, delivered_mail, link_in, relative, sign
from tests.mail.receiver import Receiver


@pytest.fixture
def app(app_factory):
    """Webhooks may reach the receiver on loopback over plain http, as in development."""
    app = app_factory(WEBHOOK_ALLOW_PRIVATE=True, WEBHOOK_ALLOW_HTTP=True)
    with app.app_context():
        yield app


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


def _confirm_one(app, client, petition, email="ani@example.org"):
    sign(client, petition.slug, email=email)
    message = [m for m in delivered_mail(app) if email in m["To"]][-1]
    path = relative(link_in(message, "/confirm/"))
    page = client.get(path)
    client.post(path, data={"csrf_token": csrf_token_from(page.get_data(True))})


def test_a_confirmation_is_posted_signed_with_an_idempotency_key(app, client, organisation,
                                                                 petition, receiver):
    hook = create_webhook(organisation.id, receiver.url, ["signature.confirmed"])
    db.session.commit()
    _confirm_one(app, client, petition)
    drain_outbox()
    [(headers, body)] = receiver.received
    expected = "sha256=" + hmac.new(hook.secret.encode(), body.encode(),
                                    hashlib.sha256).hexdigest()
    assert headers["X-Campaign-Signature"] == expected
    event = json.loads(body)
    assert event["event"] == "signature.confirmed"
    assert headers["Idempotency-Key"] == event["id"]
    assert event["data"]["petition"]["slug"] == petition.slug
    assert "ani@example.org" not in body, "webhooks carry no email"


def test_a_receiver_that_is_down_gets_the_event_later_exactly_once(app, client, organisation,
                                                                   petition, receiver):
    create_webhook(organisation.id, receiver.url, ["signature.confirmed"])
    db.session.commit()
    receiver.fail_next = 1
    _confirm_one(app, client, petition)
    drain_outbox()
    assert receiver.received == []
    db.session.execute(db.update(OutboxMessage).where(OutboxMessage.transport == "http")
                       .values(send_after=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    drain_outbox()
    drain_outbox()
    assert len(receiver.received) == 1


def test_the_goal_reached_event_fires_once(app, client, organisation, receiver):
    petition = factories.create_open_petition(organisation, goal=2)
    create_webhook(organisation.id, receiver.url, ["petition.goal_reached"])
    db.session.commit()
    for n in range(3):
        _confirm_one(app, client, petition, email=f"s{n}@example.org")
    drain_outbox()
    events = [json.loads(body) for _headers, body in receiver.received]
    assert [e["event"] for e in events] == ["petition.goal_reached"]
    assert events[0]["data"]["signature_count"] == 2


def test_a_webhook_needs_a_web_address_and_known_events(app, organisation):
    from campaign.errors import CampaignError

    with pytest.raises(CampaignError):
        create_webhook(organisation.id, "ftp://x", ["signature.confirmed"])
    with pytest.raises(CampaignError):
        create_webhook(organisation.id, "https://x.example", ["everything"])
