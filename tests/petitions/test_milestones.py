"""Milestones: a threshold with what happens there (a mail to the organisers, a webhook
event, a line on the page), reached once, even when many confirmations cross it at once."""

import json
import threading

import pytest

from campaign.errors import CampaignError, Conflict
from campaign.exports.webhooks import create_webhook
from campaign.extensions import db
from campaign.mail.delivery import drain_outbox, run_producers
from campaign.mail.models import OutboxMessage
from campaign.petitions.milestones import MilestoneData, page_lines, set_milestones
from campaign.petitions.models import Milestone
from campaign.signatures.counters import signature_count
from tests.conftest import csrf_token_for, delivered_mail, link_in, relative, sign
from tests.mail.receiver import Receiver


@pytest.fixture
def app(app_factory):
    app = app_factory(WEBHOOK_ALLOW_PRIVATE=True, WEBHOOK_ALLOW_HTTP=True)
    with app.app_context():
        yield app


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


def _pending_signers(app, client, petition, count):
    """Sign `count` times through the form; return each confirmation link's path."""
    for n in range(count):
        sign(client, petition.slug, email=f"signer{n}@example.org", full_name=f"Signer {n}")
    return [relative(link_in(m, "/confirm/")) for m in delivered_mail(app)
            if "confirm" in m["Subject"].lower()]


def _confirm(app, client, path):
    return client.post(path, data={"csrf_token": csrf_token_for(app, client, path)})


def _milestone_messages(kind):
    return db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def test_a_milestone_is_reached_by_the_confirmation_that_crosses_it(
        app, client, organisation, petition, owner, editor, viewer, receiver):
    create_webhook(organisation.id, receiver.url, ["petition.milestone_reached"])
    set_milestones(petition, [MilestoneData(2, page_note="The minister must now reply."),
                              MilestoneData(100, page_note="A debate in parliament")])
    db.session.commit()
    first, second = _pending_signers(app, client, petition, 2)
    _confirm(app, client, first)
    db.session.rollback()
    assert page_lines(petition) == []
    assert _confirm(app, client, second).status_code == 303
    db.session.rollback()
    milestone = db.session.scalar(db.select(Milestone).where(Milestone.threshold == 2))
    assert milestone.reached_at is not None and milestone.reached_count == 2
    assert page_lines(petition) == ["The minister must now reply."]

    mails = [m for m in delivered_mail(app) if "has reached" in m["Subject"]]
    assert sorted(m["To"] for m in mails) == sorted([owner.email, editor.email]), \
        "owners and editors hear of it, viewers do not"
    assert "2 signatures" in mails[0]["Subject"]
    [(_headers, body)] = receiver.received
    event = json.loads(body)
    assert event["event"] == "petition.milestone_reached"
    assert event["data"]["milestone"]["threshold"] == 2
    assert event["data"]["signature_count"] == 2


def test_a_milestone_can_skip_the_mail_and_the_webhook(app, client, organisation, petition,
                                                       owner, receiver):
    create_webhook(organisation.id, receiver.url, ["petition.milestone_reached"])
    set_milestones(petition, [MilestoneData(1, notify_organisers=False, send_webhook=False,
                                            page_note="First signature!")])
    db.session.commit()
    [path] = _pending_signers(app, client, petition, 1)
    _confirm(app, client, path)
    drain_outbox()
    db.session.rollback()
    assert page_lines(petition) == ["First signature!"]
    assert _milestone_messages("petition.milestone") == []
    assert receiver.received == []


def test_a_milestone_set_below_the_count_is_reached_in_the_workers_next_round(
        app, client, organisation, petition, owner):
    for path in _pending_signers(app, client, petition, 3):
        _confirm(app, client, path)
    db.session.rollback()
    set_milestones(petition, [MilestoneData(3)])
    db.session.commit()
    run_producers()
    run_producers()
    assert len(_milestone_messages("petition.milestone")) == 1
    assert db.session.scalar(db.select(Milestone.reached_count)) == 3


def test_milestones_are_checked_and_a_reached_one_stays_on_record(app, petition):
    with pytest.raises(CampaignError):
        set_milestones(petition, [MilestoneData(0)])
    with pytest.raises(CampaignError):
        set_milestones(petition, [MilestoneData(10), MilestoneData(10)])
    assert set_milestones(petition, [MilestoneData(10_000), MilestoneData(100_000)]) == [
        10_000, 100_000]
    assert set_milestones(petition, [MilestoneData(10_000), MilestoneData(100_000)]) == []
    milestone = petition.milestones[0]
    from campaign.types import utcnow

    milestone.reached_at, milestone.reached_count = utcnow(), 10_000
    db.session.commit()
    with pytest.raises(Conflict):
        set_milestones(petition, [MilestoneData(100_000)])
    assert set_milestones(petition, [MilestoneData(10_000, page_note="Answered")]) == [
        10_000, 100_000]
    assert [m.threshold for m in petition.milestones] == [10_000]


def test_twenty_confirmations_crossing_a_milestone_at_once_reach_it_exactly_once(
        app, client, organisation, petition, owner, receiver):
    create_webhook(organisation.id, receiver.url, ["petition.milestone_reached"])
    # Half-way: most of the twenty transactions see a count past it.
    set_milestones(petition, [MilestoneData(10, page_note="Ten")])
    db.session.commit()
    paths = _pending_signers(app, client, petition, 20)
    assert len(paths) == 20
    clients = [app.test_client() for _ in paths]
    tokens = [csrf_token_for(app, c, p) for c, p in zip(clients, paths, strict=True)]
    barrier = threading.Barrier(20)
    statuses, errors = [], []

    def confirm(i):
        try:
            barrier.wait(timeout=20)
            with app.app_context():  # each thread has a session and a connection of its own
                response = clients[i].post(paths[i], data={"csrf_token": tokens[i]})
                db.session.remove()
            statuses.append(response.status_code)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and statuses == [303] * 20
    db.session.rollback()
    assert signature_count(petition.id) == 20
    drain_outbox()  # the worker's round reaches what racing transactions could not see
    drain_outbox()
    db.session.rollback()
    [milestone] = db.session.scalars(db.select(Milestone)).all()
    assert milestone.reached_at is not None and 10 <= milestone.reached_count <= 20
    assert len(_milestone_messages("petition.milestone")) == 1
    assert len(_milestone_messages("webhook.petition.milestone_reached")) == 1
    assert len(receiver.received) == 1
