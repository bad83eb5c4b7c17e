"""Webhooks cannot be turned against the server's own network: an address must be https and
lead only to public addresses, when it is created and again when it is delivered to; the
delivery connects to the address that was checked and never follows a redirect."""

import socket

import pytest

from campaign.errors import CampaignError
from campaign.exports.webhooks import create_webhook
from campaign.extensions import db
from campaign.mail import receivers as receivers_module
from campaign.mail.delivery import drain_outbox
from campaign.mail.models import OutboxMessage
from campaign.mail.receivers import ReceiverRefused, Rules, check_receiver
from campaign.mail.services import queue_message
from tests.conftest import csrf_token_from, login
from tests.mail.receiver import Receiver

PUBLIC = "93.184.215.14"  # a public address; nothing here ever connects to it


def _resolver(*answers):
    """A resolver answering these addresses (in turn, one list per lookup), and counting."""

    def resolve(host, port, **kwargs):
        resolve.calls.append(host)
        addresses = answers[min(len(resolve.calls), len(answers)) - 1]
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in addresses]

    resolve.calls = []
    return resolve


@pytest.mark.parametrize("url", [
    "ftp://hooks.example.org/",
    "http://hooks.example.org/",  # plain http is for development only
    "https://user:secret@hooks.example.org/",
    "https://127.0.0.1/", "https://localhost/", "https://10.0.0.7/", "https://192.168.1.1/",
    "https://172.16.0.1/", "https://169.254.169.254/latest/meta-data/", "https://0.0.0.0/",
    "https://100.64.0.1/", "https://224.0.0.1/", "https://239.255.255.250/",
    "https://240.0.0.1/", "https://255.255.255.255/",
    "https://[::1]/", "https://[::]/", "https://[fe80::1]/", "https://[fc00::1]/",
    "https://[ff02::1]/", "https://[::ffff:127.0.0.1]/", "https://[::ffff:93.184.215.14]/",
    "https://[::ffff:7f00:1]/", "https://[64:ff9b::7f00:1]/", "https://[2002:7f00:1::]/",
    # numeric spellings of 127.0.0.1 that resolvers accept
    "https://2130706433/", "https://0x7f000001/", "https://127.1/", "https://0177.0.0.1/",
    "https://127.0.0.01/", "https://0x7f.0.0.1/",
    # malformed
    "http://[::1", "http://h:abc/", "https:///path", "https://exa mple.org/",
    "https://" + "a" * 2000 + ".org/",
])
def test_an_address_that_could_reach_inside_is_refused_at_creation(app, organisation, url):
    with pytest.raises(CampaignError):
        create_webhook(organisation.id, url, ["signature.confirmed"])


def test_every_address_a_name_resolves_to_is_checked(app):
    rules = Rules()
    resolve = _resolver([PUBLIC, "10.1.2.3"])
    with pytest.raises(ReceiverRefused, match="10.1.2.3"):
        check_receiver("https://hooks.example.org/in", rules, resolve=resolve)
    receiver = check_receiver("https://hooks.example.org/in?x=1", rules,
                              resolve=_resolver([PUBLIC]))
    assert (receiver.host, receiver.port, receiver.target) == ("hooks.example.org", 443,
                                                               "/in?x=1")
    assert receiver.addresses == (PUBLIC,)


def test_a_name_that_cannot_be_found_is_refused_with_a_message(app):
    def resolve(host, port, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(ReceiverRefused, match="cannot be found"):
        check_receiver("https://nowhere.example.org/", Rules(), resolve=resolve)


def test_the_webhooks_page_explains_a_refused_address(app, client, organisation, owner):
    login(client, owner)
    page = client.get(f"/o/{organisation.slug}/webhooks/").get_data(as_text=True)
    response = client.post(f"/o/{organisation.slug}/webhooks/", data={
        "csrf_token": csrf_token_from(page), "url": "https://169.254.169.254/latest/",
        "events": "signature.confirmed"}, follow_redirects=True)
    assert "not a public internet address" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 0


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


def _queue_webhook(url: str) -> None:
    queue_message(kind="webhook.signature.confirmed", recipient=url, subject="x",
                  text_body="{}", transport="http")
    db.session.commit()


def _only_message() -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalar(db.select(OutboxMessage))


def test_the_address_is_checked_again_at_delivery(app_factory, receiver):
    # Allowed when it was created (in development), refused when delivered under the
    # production rules: nothing reaches the receiver.
    app = app_factory(WEBHOOK_ALLOW_HTTP=True)
    with app.app_context():
        _queue_webhook(receiver.url)
        assert drain_outbox() == (0, 1)
        assert receiver.attempts == 0
        assert "not a public internet address" in _only_message().last_error


def test_a_name_that_changes_to_a_private_address_after_creation_is_refused(
        app_factory, receiver, monkeypatch):
    app = app_factory(WEBHOOK_ALLOW_HTTP=True)
    resolve = _resolver([PUBLIC], ["127.0.0.1"])  # public when created, loopback later
    monkeypatch.setattr(receivers_module.socket, "getaddrinfo", resolve)
    with app.app_context():
        organisation_id = _organisation_id()
        create_webhook(organisation_id, f"http://rebinding.example.org:{receiver.port}/hook",
                       ["signature.confirmed"])
        _queue_webhook(f"http://rebinding.example.org:{receiver.port}/hook")
        assert drain_outbox() == (0, 1)
    assert receiver.attempts == 0
    assert resolve.calls == ["rebinding.example.org", "rebinding.example.org"]


def test_delivery_connects_to_the_checked_address_with_the_urls_host(
        app_factory, receiver, monkeypatch):
    app = app_factory(WEBHOOK_ALLOW_HTTP=True, WEBHOOK_ALLOW_PRIVATE=True)
    resolve = _resolver(["127.0.0.1"])
    monkeypatch.setattr(receivers_module.socket, "getaddrinfo", resolve)
    with app.app_context():
        _queue_webhook(f"http://hooks.example.org:{receiver.port}/hook?team=7")
        assert drain_outbox() == (1, 0)
    [(headers, body)] = receiver.received
    assert headers["Host"] == f"hooks.example.org:{receiver.port}"
    assert resolve.calls == ["hooks.example.org"], "resolved once, and only once"


def test_a_redirect_is_never_followed(app_factory, receiver):
    elsewhere = Receiver()
    try:
        receiver.status = 307
        receiver.location = elsewhere.url
        app = app_factory(WEBHOOK_ALLOW_HTTP=True, WEBHOOK_ALLOW_PRIVATE=True)
        with app.app_context():
            _queue_webhook(receiver.url)
            assert drain_outbox() == (0, 1)
            assert "do not follow redirects" in _only_message().last_error
        assert receiver.attempts == 1 and elsewhere.attempts == 0
    finally:
        elsewhere.stop()


def _organisation_id() -> int:
    from tests import factories

    return factories.create_organisation().id
