"""The real `flask mail worker` against a real SMTP server and a real webhook receiver on
loopback: nothing a webhook does stops or slows confirmation mail."""

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest

from campaign.exports.webhooks import create_webhook
from campaign.extensions import db
from campaign.mail.models import OutboxMessage
from campaign.mail.services import queue_message
from campaign.types import utcnow
from tests import factories
from tests.conftest import csrf_token_from, relative, sign
from tests.mail.receiver import Receiver

pytestmark = pytest.mark.slow


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def smtp(smtp_server):
    return smtp_server


@pytest.fixture
def app(smtp_app):
    smtp_app.config.update(WEBHOOK_ALLOW_PRIVATE=True, WEBHOOK_ALLOW_HTTP=True)
    return smtp_app


@contextmanager
def running_worker(app):
    """`flask --app campaign mail worker` in its own process, on the test's database."""
    config = app.config
    env = dict(os.environ, CAMPAIGN_SQLALCHEMY_DATABASE_URI=config["SQLALCHEMY_DATABASE_URI"],
               CAMPAIGN_SECRET_KEY="worker-secret", CAMPAIGN_BASE_URL=config["BASE_URL"],
               CAMPAIGN_MAIL_BACKEND="smtp", CAMPAIGN_MAIL_SERVER="127.0.0.1",
               CAMPAIGN_MAIL_PORT=str(config["MAIL_PORT"]),
               CAMPAIGN_WEBHOOK_ALLOW_PRIVATE="true", CAMPAIGN_WEBHOOK_ALLOW_HTTP="true",
               CAMPAIGN_WEBHOOK_READ_TIMEOUT="1", CAMPAIGN_WEBHOOK_TOTAL_TIMEOUT="2")
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "campaign", "mail", "worker", "--interval",
         "0.2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
        worker.output = output


def _wait_for(condition, seconds: float) -> float:
    """Seconds until `condition()` held; fails after `seconds`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "not within the time allowed"
        time.sleep(0.05)
    return time.monotonic() - started


def _webhooks_attempted() -> int:
    db.session.rollback()  # a fresh snapshot: the worker writes on its own connection
    return db.session.scalar(db.select(db.func.count()).where(
        OutboxMessage.transport == "http", OutboxMessage.attempts >= 1,
        OutboxMessage.claimed_until.is_(None)))


def _mails_to(smtp, address: str) -> list:
    return [m for m in smtp.messages if address in m["To"]]


def _confirm(client, message) -> None:
    link = re.search(r"https?://\S+/confirm/\S+", message.get_body(("plain",)).get_content())
    path = relative(link.group(0))
    page = client.get(path)
    client.post(path, data={"csrf_token": csrf_token_from(page.get_data(True))})


def test_confirmation_mail_flows_within_seconds_while_a_webhook_receiver_fails(
        app, smtp, receiver):
    receiver.status = 500
    receiver.delay = 1.5  # and slowly: past the read timeout
    failing_org = factories.create_organisation()
    other_org = factories.create_organisation()
    failing_petition = factories.create_open_petition(failing_org)
    other_petition = factories.create_open_petition(other_org)
    create_webhook(failing_org.id, receiver.url, ["signature.confirmed"])
    db.session.commit()
    client = app.test_client()
    with running_worker(app) as worker:
        for n in range(8):  # eight confirmations: eight webhooks that fail, slowly
            sign(client, failing_petition.slug, email=f"early{n}@example.org")
            db.session.commit()
            _wait_for(lambda n=n: _mails_to(smtp, f"early{n}@example.org"), 10)
            _confirm(client, _mails_to(smtp, f"early{n}@example.org")[0])
        db.session.commit()
        _wait_for(lambda: receiver.attempts >= 2, 10)
        timings = []
        for n in range(6):
            petition = other_petition if n % 2 else failing_petition
            sign(client, petition.slug, email=f"later{n}@example.org")
            db.session.commit()
            timings.append(_wait_for(lambda n=n: _mails_to(smtp, f"later{n}@example.org"), 10))
        assert worker.poll() is None, "the worker is still running"
    assert max(timings) < 3, timings
    db.session.commit()
    webhooks = db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.transport == "http")).all()
    assert len(webhooks) == 8
    assert all(m.sent_at is None for m in webhooks)
    assert any(m.attempts >= 1 and m.last_error for m in webhooks)
    assert "Traceback" not in worker.output


def test_the_worker_survives_malformed_webhook_addresses_and_keeps_delivering(app, smtp):
    organisation = factories.create_organisation()
    for url in ("http://[::1", "http://h:abc/"):
        queue_message(kind="webhook.signature.confirmed", recipient=url,
                      subject="signature.confirmed", text_body="{}", transport="http",
                      organisation_id=organisation.id)
    queue_message(kind="signature.confirm", recipient="first@example.org", subject="One",
                  text_body="One")
    queue_message(kind="signature.confirm", recipient="long-ago@example.org", subject="Old",
                  text_body="Old")
    db.session.execute(db.update(OutboxMessage).where(
        OutboxMessage.recipient == "long-ago@example.org").values(
        sent_at=utcnow() - timedelta(days=40)))
    db.session.commit()
    with running_worker(app) as worker:
        _wait_for(lambda: _mails_to(smtp, "first@example.org"), 10)
        _wait_for(lambda: _webhooks_attempted() == 2, 10)
        queue_message(kind="signature.confirm", recipient="second@example.org",
                      subject="Two", text_body="Two")
        db.session.commit()
        _wait_for(lambda: _mails_to(smtp, "second@example.org"), 10)
        assert worker.poll() is None, "the worker is still running"
    assert worker.returncode == 0, worker.output
    assert "mail worker: stopped" in worker.output
    db.session.rollback()
    for url in ("http://[::1", "http://h:abc/"):
        message = db.session.scalar(db.select(OutboxMessage).where(
            OutboxMessage.recipient == url))
        assert message.sent_at is None and message.attempts == 1
        assert "not a valid web address" in message.last_error
    # The worker also erases what is past the retention period, without being asked.
    assert db.session.scalar(db.select(db.func.count()).where(
        OutboxMessage.recipient == "long-ago@example.org")) == 0
