"""One failing message never holds back the others: webhooks and mail are claimed apart, a
receiver that fails or hangs is charged alone, and confirmation mail goes first."""

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest

from campaign.exports.webhooks import create_webhook
from campaign.extensions import db
from campaign.mail.delivery import deliver_batch, drain_outbox
from campaign.mail.models import BULK, OutboxMessage
from campaign.mail.services import queue_message
from campaign.types import utcnow
from tests import factories
from tests.conftest import csrf_token_from, login
from tests.mail.receiver import Receiver


@pytest.fixture
def receivers():
    started = []

    def start():
        receiver = Receiver()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.stop()


@pytest.fixture
def app(app_factory):
    app = app_factory(WEBHOOK_ALLOW_PRIVATE=True, WEBHOOK_ALLOW_HTTP=True,
                      WEBHOOK_READ_TIMEOUT=0.5, WEBHOOK_TOTAL_TIMEOUT=2.0)
    with app.app_context():
        yield app


def _webhook_message(url: str, organisation_id: int | None = None) -> None:
    queue_message(kind="webhook.signature.confirmed", recipient=url,
                  subject="signature.confirmed", text_body="{}", transport="http",
                  headers={"Content-Type": "application/json"},
                  organisation_id=organisation_id)


def _mail(recipient: str, **extra) -> None:
    queue_message(kind="signature.confirm", recipient=recipient, subject="Please confirm",
                  text_body="Open the link", **extra)


def _message(**where) -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalar(db.select(OutboxMessage).filter_by(**where))


def test_a_failing_receiver_delays_only_its_own_webhook(app, receivers):
    failing, working = receivers(), receivers()
    failing.status = 500
    _webhook_message(failing.url)
    _webhook_message(working.url)
    _mail("anna@example.org")
    db.session.commit()
    assert drain_outbox() == (2, 1)
    assert len(working.received) == 1
    failed = _message(recipient=failing.url)
    assert failed.sent_at is None and failed.attempts == 1
    assert failed.last_error == "WebhookRefused: the receiver answered 500"
    assert _message(recipient=working.url).sent_at is not None
    assert _message(kind="signature.confirm").sent_at is not None


@pytest.mark.parametrize(("behaviour", "seconds", "error"), [
    ("delay", 3, "TimeoutError: timed out"),  # silent past the read timeout
    ("drip_seconds", 6, "TimeoutError: the receiver took more than 2 seconds"),  # slow drip
])
def test_a_slow_receiver_is_cut_off_and_charged(app, receivers, behaviour, seconds, error):
    slow = receivers()
    setattr(slow, behaviour, seconds)
    _webhook_message(slow.url)
    db.session.commit()
    started = time.monotonic()
    assert drain_outbox() == (0, 1)
    assert time.monotonic() - started < 3
    message = _message(transport="http")
    assert message.sent_at is None and message.last_error == error


def test_mail_goes_before_webhooks_and_urgent_mail_before_bulk_mail(app, receivers):
    receiver = receivers()
    _webhook_message(receiver.url)
    for n in range(60):
        _mail(f"reader{n}@example.org", priority=BULK)
    _mail("anna@example.org")
    db.session.commit()
    assert deliver_batch("mail", limit=50) == (50, 0)
    assert _message(recipient="anna@example.org").sent_at is not None, \
        "the confirmation went in the first batch, ahead of 60 older update mails"
    drain_outbox()
    db.session.expire_all()
    mails = db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.transport == "mail")).all()
    webhook = _message(transport="http")
    assert all(m.sent_at is not None for m in mails) and webhook.sent_at is not None
    assert max(m.sent_at for m in mails) <= webhook.sent_at, "mail first, though queued later"


def test_an_exception_from_one_message_is_charged_to_it_and_the_rest_go(app, receivers):
    receiver = receivers()
    _webhook_message("http://[::1")
    _webhook_message("http://h:abc/")
    _webhook_message(receiver.url)
    _mail("not an address at all")
    _mail("anna@example.org")
    db.session.commit()
    assert drain_outbox() == (2, 3)
    assert len(receiver.received) == 1
    assert _message(recipient="anna@example.org").sent_at is not None
    for url in ("http://[::1", "http://h:abc/"):
        broken = _message(recipient=url)
        assert broken.attempts == 1 and broken.sent_at is None
        assert broken.last_error.startswith("ReceiverRefused: This webhook address is not a")
    assert "ValueError" in _message(recipient="not an address at all").last_error


def test_an_undelivered_webhook_is_shown_to_its_owners_and_can_be_sent_again(
        app_factory, receivers):
    app = app_factory(WEBHOOK_ALLOW_PRIVATE=True, WEBHOOK_ALLOW_HTTP=True, MAIL_MAX_ATTEMPTS=2)
    receiver = receivers()
    receiver.status = 500
    with app.app_context():
        organisation = factories.create_organisation()
        other = factories.create_organisation()
        owner = factories.create_member(organisation, "owner")
        editor = factories.create_member(organisation, "editor")
        create_webhook(organisation.id, receiver.url, ["signature.confirmed"])
        _webhook_message(receiver.url, organisation.id)
        _webhook_message("https://127.0.0.1:9/other", other.id)
        db.session.commit()
        for _attempt in range(2):
            db.session.execute(db.update(OutboxMessage).values(
                send_after=utcnow() - timedelta(seconds=1)))
            db.session.commit()
            drain_outbox()
        dead = _message(recipient=receiver.url).id
        other_dead = _message(organisation_id=other.id).id
        slug = organisation.slug
        owner, editor = SimpleNamespace(email=owner.email), SimpleNamespace(email=editor.email)
    with app.app_context():
        editor_client = app.test_client()
        login(editor_client, editor)
        assert editor_client.get(f"/o/{slug}/undelivered/").status_code == 403
    with app.app_context():
        client = app.test_client()
        login(client, owner)
        page = client.get(f"/o/{slug}/undelivered/").get_data(as_text=True)
        assert f"Webhook signature.confirmed to {receiver.url}" in page
        assert "WebhookRefused: the receiver answered 500" in page
        assert "127.0.0.1:9/other" not in page, "another organisation's message is not shown"

        receiver.status = 204
        response = client.post(f"/o/{slug}/undelivered/{dead}/retry",
                               data={"csrf_token": csrf_token_from(page)})
        assert response.status_code == 302
        assert drain_outbox() == (1, 0)
        assert len(receiver.received) == 1
        page = client.get(f"/o/{slug}/undelivered/").get_data(as_text=True)
        assert "Every message went out." in page
        assert client.post(f"/o/{slug}/undelivered/{other_dead}/retry",
                           data={"csrf_token": csrf_token_from(page)}).status_code == 404


def test_a_refused_internationalised_address_is_not_kept_in_the_error(app_factory,
                                                                      smtp_server):
    smtp_server.handler.refused.add("用户@例子.广告")
    app = app_factory(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():
        _mail("用户@例子.广告")
        db.session.commit()
        assert drain_outbox() == (0, 1)
        error = _message(kind="signature.confirm").last_error
        assert error.startswith("SMTPRecipientsRefused") and "用户" not in error
