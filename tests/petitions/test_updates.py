"""Updates appear on the petition and reach consenting signers once, with an unsubscribe."""

from campaign.extensions import db
from campaign.mail.delivery import run_producers
from campaign.petitions.models import PetitionUpdate
from campaign.petitions.services import post_update
from campaign.signatures.models import Signature, SignatureState, UpdateDelivery
from campaign.signatures.updates import mail_update_batch, send_pending_update_mail
from tests import factories
from tests.conftest import delivered_mail, login, post_form, relative


def _signer(petition, n, *, contact_ok=True, state=SignatureState.CONFIRMED):
    return factories.create_signature(petition, name=f"Signer {n}", email=f"s{n}@example.org",
                                      contact_ok=contact_ok, state=state.value)


def _post_update(client, organisation, petition, mail=True):
    path = f"/o/{organisation.slug}/petitions/{petition.id}/updates/new"
    data = {"title": "Delivered in Geneva", "body_markdown": "We handed over **all** names.",
            "post": "1"}
    if mail:
        data["mail_signers"] = "y"
    return post_form(client, path, data)


def test_an_update_appears_on_the_petition_page(client, organisation, petition, editor):
    login(client, editor)
    assert _post_update(client, organisation, petition, mail=False).status_code == 302
    page = client.get(f"/p/{petition.slug}").get_data(as_text=True)
    assert "Delivered in Geneva" in page
    assert "We handed over <strong>all</strong> names." in page


def test_an_update_is_mailed_only_to_confirmed_signers_who_agreed(
    app, client, organisation, petition, editor
):
    _signer(petition, 1)
    _signer(petition, 2, contact_ok=False)
    _signer(petition, 3, state=SignatureState.PENDING)
    _signer(petition, 4, state=SignatureState.INVALIDATED)
    db.session.commit()
    login(client, editor)
    _post_update(client, organisation, petition)
    # The pending signer's confirmation mail waits in the outbox too.
    messages = [m for m in delivered_mail(app) if m["Subject"].startswith("News:")]
    assert [m["To"] for m in messages] == ["Signer <s1@example.org>"]
    [message] = messages
    assert message["Subject"] == "News: Delivered in Geneva"
    assert message["List-Unsubscribe"].startswith("<http://petitions.example.org/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_each_signer_gets_an_update_at_most_once_even_in_small_batches(app, organisation,
                                                                       petition):
    for n in range(7):
        _signer(petition, n)
    update = factories.create_update(petition, title="T", body="B")
    batches = []
    while update.mailing_done_at is None:
        batches.append(mail_update_batch(update, batch_size=3))
        db.session.commit()
    assert batches == [3, 3, 1]
    assert mail_update_batch(update, batch_size=3) == 0
    assert db.session.scalar(db.select(db.func.count(UpdateDelivery.id))) == 7
    assert len(delivered_mail(app)) == 7
    assert update.mailed_count == 7


def test_one_click_unsubscribe_works_without_a_form_token(app, client, organisation, petition,
                                                          editor):
    signer = _signer(petition, 1)
    db.session.commit()
    login(client, editor)
    _post_update(client, organisation, petition)
    [message] = delivered_mail(app)
    url = relative(message["List-Unsubscribe"].strip("<>"))
    anonymous = app.test_client()
    assert b"Unsubscribe" in anonymous.get(url).data
    response = anonymous.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.rollback()
    assert db.session.get(Signature, signer.id).contact_ok is False
    assert db.session.get(Signature, signer.id).state == SignatureState.CONFIRMED


def test_a_forged_unsubscribe_token_is_refused(client, petition):
    assert client.post("/unsubscribe/1.forged").status_code == 404


def test_updates_cannot_be_posted_on_a_draft(client, organisation, editor):
    from tests import factories

    draft = factories.create_draft_petition(organisation)
    login(client, editor)
    assert _post_update(client, organisation, draft).status_code == 409


def test_the_mail_worker_commits_each_batch_of_an_update(app, organisation, petition, editor):
    """The update's batches are queued and committed by the worker, not by the page that
    posted it: a rollback after the worker's round loses none of them."""
    for n in range(5):
        _signer(petition, n)
    post_update(petition, title="T", body_markdown="B", author=editor, mail_signers=True)
    db.session.commit()
    app.extensions["campaign.mail_producers"][:] = [
        lambda: send_pending_update_mail(batch_size=2)]
    assert run_producers() == 5
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(UpdateDelivery.id))) == 5
    assert db.session.scalar(db.select(PetitionUpdate.mailing_done_at)) is not None
