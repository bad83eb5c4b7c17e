"""The outbox: mail is written with the change that causes it and delivered exactly once."""

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from email import message_from_bytes, policy

import pytest

from campaign.extensions import db
from campaign.mail.delivery import drain_outbox, retry_delay
from campaign.mail.models import OutboxMessage
from campaign.mail.services import queue_message
from campaign.types import utcnow
from tests.conftest import csrf_token_from, link_in, relative, sign
from tests.mail.smtp_server import SmtpServer, free_port


def _queue(n=1):
    for i in range(n):
        queue_message(kind="test", recipient=f"r{i}@example.org", subject=f"Hello {i}",
                      text_body=f"Plain {i}", html_body=f"<p>Rich {i}</p>")
    db.session.commit()


def _make_due():
    _set_all(send_after=utcnow() - timedelta(seconds=1))


def _set_all(**values):
    db.session.execute(db.update(OutboxMessage).values(**values))
    db.session.commit()


def test_the_file_backend_writes_messages_any_mail_program_can_open(app_factory, tmp_path):
    app = app_factory(MAIL_BACKEND="file", MAIL_FILE_DIRECTORY=str(tmp_path / "outbox"))
    with app.app_context():
        _queue(2)
        assert drain_outbox() == (2, 0)
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["Subject"] == "Hello 0"
    assert message.get_body(("plain",)).get_content().strip() == "Plain 0"
    assert "<p>Rich 0</p>" in message.get_body(("html",)).get_content()
    assert message["Message-ID"].startswith("<outbox-")


def test_the_confirmation_link_can_be_read_straight_from_the_eml_file(app_factory, tmp_path):
    from tests import factories

    app = app_factory(MAIL_BACKEND="file", MAIL_FILE_DIRECTORY=str(tmp_path))
    with app.app_context():
        petition = factories.create_open_petition(factories.create_organisation())
        sign(app.test_client(), petition.slug, full_name="Նարեկ Սարգսյան Ünal")
        drain_outbox()
    raw = next(tmp_path.glob("*.eml")).read_text(encoding="utf-8")
    assert re.search(r"http://petitions\.example\.org/confirm/[A-Za-z0-9_-]{40,}\n", raw)
    assert "Նարեկ" in raw


def test_mail_waits_in_the_outbox_while_the_smtp_server_is_down_then_goes_once(app_factory):
    port = free_port()
    app = app_factory(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        _queue(3)
        sent, failed = drain_outbox()
        assert (sent, failed) == (0, 1), "one failed connection ends the batch's attempt"
        waiting = db.session.scalars(db.select(OutboxMessage)).all()
        assert all(m.sent_at is None and m.failed_at is None for m in waiting)
        # The server being down is no message's fault: none is charged, none comes closer
        # to being given up, however long the outage lasts.
        assert all(m.attempts == 0 and m.claimed_until is None for m in waiting)

        server = SmtpServer(port).start()
        try:
            _make_due()
            assert drain_outbox() == (3, 0)
            _make_due()
            assert drain_outbox() == (0, 0)
        finally:
            server.stop()
    assert sorted(m["Subject"] for m in server.messages) == ["Hello 0", "Hello 1", "Hello 2"]


def test_a_message_that_keeps_failing_is_given_up_after_the_last_attempt(app_factory):
    server = SmtpServer().start()
    server.handler.refused.add("r0@example.org")
    app = app_factory(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port,
                      MAIL_MAX_ATTEMPTS=3)
    try:
        with app.app_context():
            _queue(1)
            for _ in range(3):
                _make_due()
                drain_outbox()
            message = db.session.scalar(db.select(OutboxMessage))
            assert message.attempts == 3
            assert message.failed_at is not None
            assert "SMTPRecipientsRefused" in message.last_error
            assert "r0@example.org" not in message.last_error, "errors keep no address"
            _make_due()
            assert drain_outbox() == (0, 0)
    finally:
        server.stop()


def test_a_refused_recipient_delays_only_its_own_message(app_factory):
    server = SmtpServer().start()
    server.handler.refused.add("r1@example.org")
    app = app_factory(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    try:
        with app.app_context():
            _queue(3)
            assert drain_outbox() == (2, 1)
            refused = db.session.scalar(db.select(OutboxMessage).where(
                OutboxMessage.recipient == "r1@example.org"))
            assert refused.sent_at is None and refused.send_after > utcnow()
        assert sorted(m["To"] for m in server.messages) == ["r0@example.org",
                                                            "r2@example.org"]
    finally:
        server.stop()


def test_retries_back_off_up_to_an_hour():
    assert retry_delay(1) == timedelta(seconds=30)
    assert retry_delay(2) == timedelta(seconds=60)
    assert retry_delay(3) == timedelta(seconds=120)
    assert retry_delay(20) == timedelta(hours=1)


def test_a_message_claimed_by_another_worker_is_left_alone(app):
    _queue(1)
    _set_all(claimed_until=utcnow() + timedelta(minutes=5))
    assert drain_outbox() == (0, 0)
    # a crashed worker's claim lapses and the message goes out
    _set_all(claimed_until=utcnow() - timedelta(seconds=1))
    assert drain_outbox() == (1, 0)


def test_signing_through_a_real_smtp_server_and_following_the_link(app_factory):
    server = SmtpServer().start()
    try:
        app = app_factory(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
        with app.app_context():
            from tests import factories

            petition = factories.create_open_petition(factories.create_organisation())
            client = app.test_client()
            assert sign(client, petition.slug, email="lilit@example.org").status_code == 303
            result = app.test_cli_runner().invoke(args=["mail", "send"])
            assert result.exit_code == 0, result.output
            assert "sent 1" in result.output
            [message] = server.messages
            assert server.handler.envelopes[0][1] == ["lilit@example.org"]
            path = relative(link_in(message, "/confirm/"))
            page = client.get(path)
            client.post(path, data={"csrf_token": csrf_token_from(page.get_data(True))})
            assert client.get(f"/p/{petition.slug}.json").json["signature_count"] == 1
    finally:
        server.stop()


@pytest.mark.slow
def test_the_worker_keeps_delivering_until_it_is_stopped(app_factory, tmp_path):
    outbox = tmp_path / "outbox"
    app = app_factory(MAIL_BACKEND="file", MAIL_FILE_DIRECTORY=str(outbox))
    with app.app_context():
        _queue(2)
        uri = app.config["SQLALCHEMY_DATABASE_URI"]
    env = dict(os.environ, CAMPAIGN_SQLALCHEMY_DATABASE_URI=uri, CAMPAIGN_SECRET_KEY="x",
               CAMPAIGN_BASE_URL="https://petitions.example.org",
               CAMPAIGN_MAIL_BACKEND="file", CAMPAIGN_MAIL_FILE_DIRECTORY=str(outbox))
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "campaign", "mail", "worker", "--interval",
         "0.2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while len(list(outbox.glob("*.eml"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        with app.app_context():
            _queue(1)  # mail queued while the worker runs goes out too
        while len(list(outbox.glob("*.eml"))) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(list(outbox.glob("*.eml"))) == 3
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "mail worker: stopped" in output
    with app.app_context():
        db.session.rollback()
        assert db.session.scalar(
            db.select(db.func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
        ) == 0
