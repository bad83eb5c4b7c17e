"""Personal data does not linger: sent and undeliverable messages lose their recipient and
bodies after the retention period, and at once when a signer withdraws or their petition is
anonymised; organisers see only the emails of confirmed signers who agreed to be contacted."""

from datetime import timedelta

from campaign.extensions import db
from campaign.mail.delivery import drain_outbox
from campaign.mail.models import OutboxMessage
from campaign.mail.services import queue_message
from campaign.petitions.services import close_petition
from campaign.signatures.models import Signature, SignatureState
from campaign.types import utcnow
from tests import factories
from tests.conftest import csrf_token_from, delivered_mail, link_in, login, relative, sign


def _message(recipient: str, **values) -> None:
    queue_message(kind="signature.confirm", recipient=recipient, subject="Please confirm",
                  text_body=f"Dear {recipient}", html_body=f"<p>{recipient}</p>",
                  headers={"List-Unsubscribe": "<http://x/unsubscribe/secret>"})
    db.session.execute(db.update(OutboxMessage).where(OutboxMessage.recipient == recipient)
                       .values(**values))
    db.session.commit()


def _erased(message: OutboxMessage) -> bool:
    return (message.recipient, message.text_body, message.html_body, message.headers) == \
        ("", "", None, {}) and message.erased_at is not None


def test_old_sent_and_undeliverable_messages_lose_recipient_and_bodies(app, runner):
    month_ago = utcnow() - timedelta(days=31)
    _message("old-sent@example.org", sent_at=month_ago)
    _message("old-dead@example.org", failed_at=month_ago)
    _message("new-sent@example.org", sent_at=utcnow() - timedelta(days=1))
    _message("waiting@example.org", created_at=month_ago, send_after=month_ago)
    ids = dict(db.session.execute(db.select(OutboxMessage.recipient, OutboxMessage.id)).all())
    result = runner.invoke(args=["signatures", "anonymise"])
    assert result.exit_code == 0, result.output
    assert "erased 2 outbox messages sent or given up over 30 days ago" in result.output
    db.session.expire_all()
    messages = {recipient: db.session.get(OutboxMessage, id) for recipient, id in ids.items()}
    assert _erased(messages["old-sent@example.org"])
    assert _erased(messages["old-dead@example.org"])
    assert messages["new-sent@example.org"].recipient == "new-sent@example.org"
    assert messages["waiting@example.org"].recipient == "waiting@example.org", \
        "a message not yet sent is kept to be sent"
    assert messages["old-sent@example.org"].sent_at is not None, "what happened is kept"


def test_the_retention_period_is_a_setting(app_factory):
    app = app_factory(OUTBOX_RETENTION_DAYS=7)
    with app.app_context():
        _message("week-old@example.org", sent_at=utcnow() - timedelta(days=8))
        result = app.test_cli_runner().invoke(args=["signatures", "anonymise"])
        assert "erased 1 outbox messages sent or given up over 7 days ago" in result.output


def _confirm(client, message) -> None:
    path = relative(link_in(message, "/confirm/"))
    page = client.get(path)
    client.post(path, data={"csrf_token": csrf_token_from(page.get_data(True))})


def test_withdrawing_erases_the_signers_mail_at_once_and_keeps_no_email_or_country(
        app, client, petition):
    sign(client, petition.slug, email="lilit@example.org", country="AM")
    [confirmation] = delivered_mail(app)
    _confirm(client, confirmation)
    sign(client, petition.slug, email="lilit@example.org")  # "already signed", still queued
    db.session.commit()
    withdraw = relative(link_in(confirmation, "/withdraw/"))
    page = client.get(withdraw)
    client.post(withdraw, data={"csrf_token": csrf_token_from(page.get_data(True))})
    db.session.expire_all()
    messages = db.session.scalars(db.select(OutboxMessage)).all()
    assert len(messages) == 2 and all(_erased(m) for m in messages)
    assert drain_outbox() == (0, 0), "the queued mail is not sent after the withdrawal"
    [signature] = db.session.scalars(db.select(Signature)).all()
    assert signature.state == SignatureState.WITHDRAWN
    assert (signature.email, signature.country, signature.full_name) == ("", "", "")
    assert "lilit" not in signature.email_normalised


def test_anonymising_a_petition_erases_the_outbox_messages_about_its_signers(
        app, client, organisation, runner):
    petition = factories.create_open_petition(organisation)
    sign(client, petition.slug, email="old@example.org")
    delivered_mail(app)
    close_petition(petition, when=utcnow() - timedelta(days=400))
    db.session.commit()
    result = runner.invoke(args=["signatures", "anonymise", "--months", "12"])
    assert result.exit_code == 0, result.output
    assert "anonymised 1 signatures and erased 1 outbox messages about them" in result.output
    db.session.expire_all()
    [message] = db.session.scalars(db.select(OutboxMessage)).all()
    assert _erased(message)


def test_organisers_see_only_emails_of_confirmed_signers_who_agreed(
        app, client, organisation, petition, editor):
    factories.create_signers(petition, 1, contact_ok=True)  # signer0: confirmed, agreed
    factories.create_signers(petition, 1, start=1)  # signer1: confirmed, did not agree
    factories.create_signature(petition, name="Pending Person", email="pending@example.org",
                               contact_ok=True, state="pending")
    login(client, editor)
    page = client.get(f"/o/{organisation.slug}/petitions/{petition.id}/signatures")
    text = page.get_data(as_text=True)
    assert "signer0@example.org" in text
    assert "signer1@example.org" not in text and "pending@example.org" not in text
    assert "Pending Person" in text
    export = client.get(f"/o/{organisation.slug}/exports/petitions/{petition.id}/signatures.csv")
    csv = export.get_data(as_text=True)
    assert "signer0@example.org" in csv
    assert "signer1@example.org" not in csv and "pending@example.org" not in csv
