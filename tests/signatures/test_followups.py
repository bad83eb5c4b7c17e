"""One reminder to supporters who did not confirm, and a thank-you with share links to those
who did: each optional per petition, each at most once."""

from datetime import timedelta

from campaign.extensions import db
from campaign.petitions.services import close_petition, edit_petition
from campaign.signatures.counters import signature_count
from campaign.signatures.followups import queue_reminders, queue_thanks
from campaign.signatures.safety import set_signer_safety
from campaign.types import utcnow
from tests.conftest import csrf_token_for, delivered_mail, link_in, relative, sign


def _confirm(app, client, message):
    path = relative(link_in(message, "/confirm/"))
    return client.post(path, data={"csrf_token": csrf_token_for(app, client, path)})


def _remind(hours_later: float) -> int:
    queued = queue_reminders(now=utcnow() + timedelta(hours=hours_later))
    db.session.commit()
    return queued


def test_a_supporter_who_did_not_confirm_gets_one_reminder_after_a_day(app, client, petition):
    sign(client, petition.slug)
    [confirmation] = delivered_mail(app)
    assert _remind(hours_later=23) == 0
    assert _remind(hours_later=25) == 1
    assert _remind(hours_later=72) == 0, "never more than one"
    reminder = delivered_mail(app)[-1]
    assert reminder["Subject"].startswith("Your signature does not count yet")
    assert "only reminder" in reminder.get_body(("plain",)).get_content()
    assert _confirm(app, client, reminder).status_code == 303
    db.session.rollback()
    assert signature_count(petition.id) == 1


def test_the_delay_is_a_setting(app_factory):
    from tests import factories

    app = app_factory(REMINDER_DELAY_HOURS=2)
    with app.app_context():
        petition = factories.create_open_petition(factories.create_organisation())
        sign(app.test_client(), petition.slug)
        delivered_mail(app)
        assert _remind(hours_later=3) == 1


def test_no_reminder_once_confirmed_withdrawn_closed_or_switched_off(app, client, organisation,
                                                                     petition):
    from tests import factories

    sign(client, petition.slug, email="confirmed@example.org")
    _confirm(app, client, delivered_mail(app)[-1])
    sign(client, petition.slug, email="withdrawn@example.org")
    message = next(m for m in delivered_mail(app) if "withdrawn@" in m["To"])
    path = relative(link_in(message, "/withdraw/"))
    client.post(path, data={"csrf_token": csrf_token_for(app, client, path)})
    closed = factories.create_open_petition(organisation)
    sign(client, closed.slug, email="late@example.org")
    close_petition(closed)
    quiet = factories.create_open_petition(organisation)
    edit_petition(quiet, {"remind_unconfirmed": False})
    db.session.commit()
    sign(client, quiet.slug, email="quiet@example.org")
    delivered_mail(app)
    assert _remind(hours_later=30) == 0


def test_a_confirmed_signer_is_thanked_once_with_share_links_that_carry_their_channel(
        app, client, petition):
    sign(client, petition.slug)
    _confirm(app, client, delivered_mail(app)[-1])
    thanks = [m for m in delivered_mail(app) if m["Subject"].startswith("Thank you")]
    assert len(thanks) == 1
    assert petition.title in thanks[0]["Subject"]
    body = thanks[0].get_body(("plain",)).get_content()
    for channel in ("email", "whatsapp", "telegram", "facebook", "x", "bluesky"):
        assert f"source%3Dshare-{channel}" in body or f"source=share-{channel}" in body
    assert "wa.me/" in body and "bsky.app/intent/compose" in body
    assert queue_thanks() == 0
    assert len([m for m in delivered_mail(app) if m["Subject"].startswith("Thank you")]) == 1


def test_no_thank_you_when_the_organiser_switched_it_off(app, client, petition):
    edit_petition(petition, {"thank_signers": False})
    db.session.commit()
    sign(client, petition.slug)
    _confirm(app, client, delivered_mail(app)[-1])
    assert not [m for m in delivered_mail(app) if m["Subject"].startswith("Thank you")]


def test_in_signer_safety_mode_follow_ups_name_no_petition_and_offer_no_sharing(
        app, client, petition):
    set_signer_safety(petition, True)
    db.session.commit()
    sign(client, petition.slug, email="first@example.org")
    sign(client, petition.slug, email="second@example.org")
    first, second = delivered_mail(app)
    _confirm(app, client, first)
    assert _remind(hours_later=25) == 1
    later = delivered_mail(app)[2:]
    assert {m["Subject"] for m in later} == {"Thank you for signing",
                                            "Your signature does not count yet"}
    thanks = next(m for m in later if m["Subject"] == "Thank you for signing")
    assert "wa.me" not in thanks.get_body(("plain",)).get_content()
    for message in later:
        assert petition.title not in message["Subject"]
        assert petition.organisation.name not in message["From"]
