"""Updates an organiser can trust: the count before sending, segments, a test send to
oneself, scheduling, editing and deleting until mailed, and per-update delivery figures."""

from datetime import date, timedelta

import pytest

from campaign.errors import CampaignError, Conflict
from campaign.extensions import db
from campaign.mail.delivery import drain_outbox
from campaign.petitions.models import PetitionUpdate
from campaign.petitions.services import PetitionHead, post_update
from campaign.petitions.updates import delete_update, edit_update
from campaign.signatures.models import Signature, UpdateDelivery
from campaign.signatures.services import SignatureInput, sign_petition
from campaign.signatures.updates import delivery_figures, recipient_count, send_test_update
from campaign.types import utcnow
from tests.conftest import csrf_token_for, delivered_mail, link_in, relative

SIGNERS = [  # email, country, source, language
    ("ani@example.org", "AM", "share-whatsapp", "hy"),
    ("marie@example.org", "FR", None, "fr"),
    ("luc@example.org", "FR", "partner-x", "fr_CA"),
    ("john@example.org", "GB", None, "en"),
]


@pytest.fixture
def signers(app, client, petition):
    """Four confirmed signers who agreed to hear more, and one who did not."""
    head = PetitionHead.of(petition)
    for email, country, source, language in SIGNERS:
        sign_petition(head, SignatureInput(email.split("@")[0].title(), email, country,
                                           contact_ok=True, source=source), locale=language)
    sign_petition(head, SignatureInput("Quiet", "quiet@example.org", "FR"))
    db.session.commit()
    for message in delivered_mail(app):
        path = relative(link_in(message, "/confirm/"))
        client.post(path, data={"csrf_token": csrf_token_for(app, client, path)})
    db.session.rollback()
    db.session.execute(db.update(Signature).values(thanked_at=utcnow()))  # thanked already
    db.session.commit()
    delivered_mail(app).clear()


def _news(app):
    return sorted(m["To"].addresses[0].addr_spec for m in delivered_mail(app)
                  if "News" in m["Subject"])


@pytest.mark.parametrize(("segment", "expected"), [
    ({}, 4),
    ({"countries": ["FR"]}, 2),
    ({"countries": "fr, am"}, 3),
    ({"sources": ["share-whatsapp", "partner-x"]}, 2),
    ({"languages": ["fr"]}, 2),
    ({"languages": ["fr_ca"]}, 1),
    ({"countries": ["FR"], "languages": ["fr"], "sources": ["partner-x"]}, 1),
    ({"signed_after": date.today().isoformat()}, 4),
    ({"signed_before": date.today().isoformat()}, 0),
    ({"signed_after": (date.today() + timedelta(days=1)).isoformat()}, 0),
])
def test_the_recipient_count_before_sending_follows_the_segment(app, petition, signers,
                                                                segment, expected):
    assert recipient_count(petition, segment) == expected


@pytest.mark.parametrize("segment", [
    {"countries": ["XX"]}, {"sources": ["no spaces please"]}, {"languages": ["french!"]},
    {"signed_after": "2025-13-01"}, {"signed_after": "2025-06-01", "signed_before": "2025-05-01"},
    {"colour": ["blue"]},
])
def test_a_segment_that_makes_no_sense_is_refused_with_a_reason(app, petition, segment):
    with pytest.raises(CampaignError):
        recipient_count(petition, segment)


def test_a_segmented_update_reaches_exactly_its_segment(app, petition, signers):
    post_update(petition, title="Paris vigil", body_markdown="Join us.", author=None,
                mail_signers=True, segment={"countries": ["FR"]})
    db.session.commit()
    assert _news(app) == ["luc@example.org", "marie@example.org"]


def test_a_test_send_goes_to_the_organiser_alone_and_counts_nowhere(app, petition, signers,
                                                                    editor):
    update = post_update(petition, title="Draft news", body_markdown="Soon.", author=editor,
                         mail_signers=False)
    send_test_update(update, editor)
    db.session.commit()
    [message] = delivered_mail(app)
    assert message["To"].addresses[0].addr_spec == editor.email
    assert message["Subject"] == "[Test] News: Draft news"
    assert db.session.scalar(db.select(db.func.count(UpdateDelivery.id))) == 0
    assert delivery_figures(update).queued == 0
    assert not update.mailing_started


def test_a_scheduled_update_waits_for_its_time(app, petition, signers):
    update = post_update(petition, title="Tomorrow", body_markdown="x", author=None,
                         mail_signers=True, send_after=utcnow() + timedelta(hours=2))
    db.session.commit()
    assert _news(app) == []
    edit_update(update, {"send_after": utcnow() - timedelta(minutes=1)})
    db.session.commit()
    assert len(_news(app)) == 4


def test_an_update_can_be_edited_or_deleted_until_it_is_mailed(app, petition, signers):
    update = post_update(petition, title="Frist", body_markdown="Typo", author=None,
                         mail_signers=True, send_after=utcnow() + timedelta(days=1))
    db.session.commit()
    assert edit_update(update, {"title": "First", "body_markdown": "Fixed **now**",
                                "segment": {"countries": ["GB"]},
                                "send_after": utcnow() - timedelta(seconds=1)}) == [
        "title", "body_markdown", "segment", "send_after"]
    assert update.body_html == "<p>Fixed <strong>now</strong></p>\n"
    db.session.commit()
    assert _news(app) == ["john@example.org"]
    db.session.rollback()
    with pytest.raises(Conflict):
        edit_update(update, {"title": "Too late"})
    with pytest.raises(Conflict):
        delete_update(update)

    unsent = post_update(petition, title="Never mind", body_markdown="x", author=None,
                         mail_signers=True, send_after=utcnow() + timedelta(days=1))
    db.session.commit()
    delete_update(unsent)
    db.session.commit()
    assert db.session.get(PetitionUpdate, unsent.id) is None


def test_the_delivery_figures_show_sent_failed_and_bounced(app_factory, smtp_server):
    from campaign.mail.bounces import parse_bounce, record_bounce
    from tests import factories
    from tests.mail.bounce_reports import delivery_status_notification

    app = app_factory(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port,
                      MAIL_MAX_ATTEMPTS=1, MAIL_BOUNCE_ADDRESS="bounces@petitions.example.org")
    with app.app_context():
        petition = factories.create_open_petition(factories.create_organisation())
        head = PetitionHead.of(petition)
        for name in ("ani", "gone", "marie"):
            sign_petition(head, SignatureInput(name.title(), f"{name}@example.org", "FR",
                                               contact_ok=True))
        db.session.commit()
        drain_outbox()
        client = app.test_client()
        for message in smtp_server.messages:
            path = relative(link_in(message, "/confirm/"))
            client.post(path, data={"csrf_token": csrf_token_for(app, client, path)})
        db.session.execute(db.update(Signature).values(thanked_at=utcnow()))
        db.session.commit()
        smtp_server.handler.refused.add("gone@example.org")
        update = post_update(petition, title="News", body_markdown="x", author=None,
                             mail_signers=True)
        db.session.commit()
        drain_outbox()
        figures = delivery_figures(update)
        assert (figures.queued, figures.sent, figures.failed, figures.waiting) == (3, 2, 1, 0)

        [mail_from] = [sender for sender, recipients in smtp_server.handler.envelopes
                       if recipients == ["marie@example.org"]][-1:]
        report = delivery_status_notification(to=mail_from, recipient="marie@example.org")
        record_bounce(parse_bounce(report, app.config))
        db.session.commit()
        assert delivery_figures(update).bounced == 1
