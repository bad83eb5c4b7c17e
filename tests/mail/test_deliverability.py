"""Deliverability: DKIM-signed mail that verifies, a VERP envelope sender per message, bounces
and complaints read from the bounce mailbox over IMAP, and a suppression list that delivery
honours."""

import base64

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from campaign.extensions import db
from campaign.mail.deliverability import message_id_from_verp, verp_address
from campaign.mail.delivery import SUPPRESSED, drain_outbox
from campaign.mail.models import OutboxMessage, Suppression
from campaign.mail.suppressions import lift_suppression, suppress, suppressions_for
from tests import factories
from tests.conftest import sign
from tests.mail.bounce_reports import abuse_report, delivery_status_notification
from tests.mail.imap_server import ImapServer

BOUNCES = "bounces@petitions.example.org"


@pytest.fixture(scope="module")
def dkim_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private.decode(), b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def _dns(record: bytes):
    """Answers the DKIM key lookup of selector "mail" on petitions.example.org."""
    def lookup(name, timeout=5):
        return record if name == b"mail._domainkey.petitions.example.org." else None
    return lookup


@pytest.fixture
def mail_app(app_factory, smtp_server):
    def build(**config):
        app = app_factory(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1",
                          MAIL_PORT=smtp_server.port, **config)
        return app
    return build


def _sign(app, petition, email, name="Ani Hakobyan"):
    with app.app_context():  # a request context of its own, as a visitor's request has
        sign(app.test_client(), petition.slug, email=email, full_name=name)


def _signed_up(app, email="ani@example.org", name="Ani Hakobyan"):
    petition = factories.create_open_petition(factories.create_organisation())
    _sign(app, petition, email, name)
    drain_outbox()
    return petition


def test_mail_is_dkim_signed_and_verifies_with_the_public_key(mail_app, smtp_server, dkim_key):
    private, record = dkim_key
    app = mail_app(DKIM_SELECTOR="mail", DKIM_DOMAIN="petitions.example.org",
                   DKIM_PRIVATE_KEY=private)
    with app.app_context():
        _signed_up(app, name="Նարեկ Ünal")
    [raw] = smtp_server.handler.raw
    assert raw.startswith(b"DKIM-Signature: ")
    assert b"\r\nTo: =?utf-8?" in raw, "a name in another script is encoded: no SMTPUTF8 needed"
    assert dkim.verify(raw, dnsfunc=_dns(record))
    tampered = raw.replace(b"Please confirm your signature", b"Please confirm your donation")
    assert not dkim.verify(tampered, dnsfunc=_dns(record))


def test_the_dkim_key_may_be_read_from_a_file(mail_app, smtp_server, dkim_key, tmp_path):
    private, record = dkim_key
    key_file = tmp_path / "dkim.pem"
    key_file.write_text(private)
    app = mail_app(DKIM_SELECTOR="mail", DKIM_DOMAIN="petitions.example.org",
                   DKIM_PRIVATE_KEY_PATH=str(key_file))
    with app.app_context():
        _signed_up(app)
    assert dkim.verify(smtp_server.handler.raw[0], dnsfunc=_dns(record))


def test_without_a_key_mail_goes_unsigned(mail_app, smtp_server):
    with mail_app().app_context():
        _signed_up(mail_app())
    assert b"DKIM-Signature" not in smtp_server.handler.raw[0]


def test_each_message_has_its_own_verp_return_path(mail_app, smtp_server):
    app = mail_app(MAIL_BOUNCE_ADDRESS=BOUNCES)
    with app.app_context():
        petition = _signed_up(app)
        _sign(app, petition, "marie@example.org")
        drain_outbox()
        ids = db.session.scalars(db.select(OutboxMessage.id).order_by(OutboxMessage.id)).all()
        senders = [sender for sender, _recipients in smtp_server.handler.envelopes]
        assert senders == [verp_address(i, app.config) for i in ids]
        assert senders[0].startswith("bounces+") and senders[0].endswith("@petitions.example.org")
        assert [message_id_from_verp(s, app.config) for s in senders] == ids
        forged = senders[0].replace(f"+{ids[0]}-", f"+{ids[1]}-")
        assert message_id_from_verp(forged, app.config) is None


def test_a_suppressed_address_gets_no_mail(mail_app, smtp_server):
    app = mail_app()
    with app.app_context():
        suppress("Ani@Example.org", "bounce")
        db.session.commit()
        _signed_up(app)
        assert smtp_server.messages == []
        message = db.session.scalar(db.select(OutboxMessage))
        assert message.sent_at is None and message.failed_at is not None
        assert message.last_error == SUPPRESSED


def test_bounces_and_complaints_are_read_over_imap_and_suppress_the_address(
        mail_app, smtp_server):
    app = mail_app(MAIL_BOUNCE_ADDRESS=BOUNCES)
    imap = ImapServer("bounces", "mailbox secret").start()
    try:
        with app.app_context():
            app.config.update(BOUNCE_IMAP_HOST="127.0.0.1", BOUNCE_IMAP_PORT=imap.port,
                              BOUNCE_IMAP_SSL=False, BOUNCE_IMAP_USERNAME="bounces",
                              BOUNCE_IMAP_PASSWORD="mailbox secret")
            petition = _signed_up(app, email="gone@example.org")
            for email in ("full@example.org", "angry@example.org", "ok@example.org"):
                _sign(app, petition, email)
            drain_outbox()
            verp = {recipients[0]: sender for sender, recipients in smtp_server.handler.envelopes}
            imap.add(delivery_status_notification(to=verp["gone@example.org"],
                                                  recipient="gone@example.org"))
            imap.add(delivery_status_notification(to=verp["full@example.org"],
                                                  recipient="full@example.org",
                                                  status="4.2.2", action="delayed"))
            imap.add(abuse_report(return_path=verp["angry@example.org"],
                                  recipient="angry@example.org"))
            forged = verp["ok@example.org"].replace("bounces+", "bounces+9")
            imap.add(delivery_status_notification(to=forged, recipient="ok@example.org"))
            imap.add(b"From: someone@example.net\r\nSubject: hello\r\n\r\nJust a letter.\r\n")

            result = app.test_cli_runner().invoke(args=["mail", "bounces"])
            assert result.exit_code == 0, result.output
            assert ("read 5 messages: 2 hard bounces, 1 soft bounces, 1 complaints, "
                    "1 not reports; 2 addresses suppressed") in result.output
            db.session.rollback()
            entries = {s.address: s.reason for s in db.session.scalars(db.select(Suppression))}
            assert entries == {"gone@example.org": "bounce", "angry@example.org": "complaint"}
            assert suppressions_for(petition.organisation_id)[0].address in entries
            assert all("\\Seen" in flags for flags in imap.flags.values())

            again = app.test_cli_runner().invoke(args=["mail", "bounces"])
            assert "read 0 messages" in again.output

            _sign(app, petition, "gone@example.org")  # a repeat: a fresh link is queued
            sent = len(smtp_server.messages)
            drain_outbox()
            assert len(smtp_server.messages) == sent, "the suppressed address gets nothing"
    finally:
        imap.stop()


def test_processed_reports_can_be_deleted_from_the_mailbox(mail_app, smtp_server):
    app = mail_app(MAIL_BOUNCE_ADDRESS=BOUNCES)
    imap = ImapServer("bounces", "pw").start()
    try:
        with app.app_context():
            app.config.update(BOUNCE_IMAP_HOST="127.0.0.1", BOUNCE_IMAP_PORT=imap.port,
                              BOUNCE_IMAP_SSL=False, BOUNCE_IMAP_USERNAME="bounces",
                              BOUNCE_IMAP_PASSWORD="pw")
            _signed_up(app)
            [(sender, _rcpt)] = smtp_server.handler.envelopes
            imap.add(delivery_status_notification(to=sender, recipient="ani@example.org"))
            result = app.test_cli_runner().invoke(args=["mail", "bounces", "--delete"])
            assert "1 addresses suppressed" in result.output
            assert imap.messages == {}
    finally:
        imap.stop()


def test_without_a_bounce_mailbox_the_command_says_what_to_set(mail_app):
    app = mail_app()
    result = app.test_cli_runner().invoke(args=["mail", "bounces"])
    assert result.exit_code != 0
    assert "BOUNCE_IMAP_HOST" in result.output


def test_an_organisation_sees_and_lifts_only_its_own_suppressions(app):
    mine, theirs = factories.create_organisation(), factories.create_organisation()
    own = suppress("ani@example.org", "bounce", organisation_id=mine.id)
    other = suppress("bob@example.org", "complaint", organisation_id=theirs.id)
    db.session.commit()
    assert [s.address for s in suppressions_for(mine.id)] == ["ani@example.org"]
    assert lift_suppression(mine.id, other.id) is False
    assert lift_suppression(mine.id, own.id) is True
    db.session.commit()
    assert [s.address for s in db.session.scalars(db.select(Suppression))] == ["bob@example.org"]
