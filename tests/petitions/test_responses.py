"""Responses from the addressees: recorded, published, shown per addressee with its state,
and announced to the signers who agreed to hear more."""

from datetime import date, timedelta

import pytest

from campaign.errors import CampaignError, Conflict, NotFound
from campaign.extensions import db
from campaign.petitions.responses import (
    AddresseeStatus,
    ResponseDocument,
    addressee_states,
    edit_response,
    get_response,
    public_responses,
    publish_response,
    record_response,
)
from campaign.petitions.services import record_outcomes
from tests import factories
from tests.conftest import delivered_mail, link_in, relative, sign


def _today():
    return date.today()


def test_each_addressee_shows_delivered_responded_or_no_reply(app, petition):
    secretary_general, icrc = petition.addressees
    states = addressee_states(petition)
    assert [s.status for s in states] == [AddresseeStatus.NOT_DELIVERED] * 2

    record_outcomes(petition, {"delivered_on": _today() - timedelta(days=40)})
    response = record_response(petition, {"addressee_id": icrc.id,
                                          "received_on": _today() - timedelta(days=3),
                                          "summary_markdown": "Access **is** being sought."})
    db.session.commit()
    states = addressee_states(petition)
    assert [s.status for s in states] == [AddresseeStatus.NO_REPLY, AddresseeStatus.NO_REPLY], \
        "an unpublished response is not shown"
    assert states[0].days_since_delivery == 40

    publish_response(response)
    db.session.commit()
    no_reply, responded = addressee_states(petition)
    assert no_reply.status == AddresseeStatus.NO_REPLY and no_reply.addressee == secretary_general
    assert responded.status == AddresseeStatus.RESPONDED
    assert "<strong>is</strong>" in responded.responses[0].summary_html

    record_outcomes(petition, {"delivered_on": _today() - timedelta(days=5)})
    assert addressee_states(petition)[0].status == AddresseeStatus.DELIVERED, \
        "fewer than NO_REPLY_AFTER_DAYS days since delivery"


def test_the_public_figures_carry_states_and_published_responses_only(app, petition):
    _sg, icrc = petition.addressees
    record_outcomes(petition, {"delivered_on": _today() - timedelta(days=2)})
    published = record_response(petition, {
        "addressee_id": icrc.id, "received_on": _today(), "link_url": "https://icrc.org/reply",
        "document": ResponseDocument("reply.pdf", "application/pdf", b"%PDF-1.4 reply")})
    publish_response(published)
    record_response(petition, {"addressee_id": icrc.id, "received_on": _today(),
                               "summary_markdown": "A draft nobody should see"})
    db.session.commit()
    data = public_responses(petition)
    assert [d["status"] for d in data] == ["delivered", "responded"]
    assert data[0]["days_since_delivery"] == 2
    [shown] = data[1]["responses"]
    assert shown["link"] == "https://icrc.org/reply"
    assert shown["document"] == {"name": "reply.pdf", "type": "application/pdf"}
    assert "A draft nobody should see" not in str(data)
    assert get_response(petition, published.id).document == b"%PDF-1.4 reply"


@pytest.mark.parametrize(("changes", "message"), [
    ({"received_on": date.today() + timedelta(days=1), "summary_markdown": "x"}, "future"),
    ({"received_on": date.today(), "link_url": "javascript:alert(1)"}, "web address"),
    ({"received_on": date.today()}, "summary"),
    ({"received_on": date.today(), "document": ResponseDocument("a.exe", "application/x-msdownload",
                                                                b"MZ")}, "PDF"),
])
def test_a_response_the_page_could_not_show_safely_is_refused(app, petition, changes, message):
    changes = {"addressee_id": petition.addressees[0].id, **changes}
    with pytest.raises(CampaignError, match=message):
        record_response(petition, changes)


def test_only_the_petitions_own_addressees_and_responses_are_found(app, organisation, petition):
    other = factories.create_open_petition(organisation)
    with pytest.raises(CampaignError):
        record_response(petition, {"addressee_id": 999_999, "received_on": _today(),
                                   "summary_markdown": "x"})
    response = record_response(other, {"addressee_id": other.addressees[0].id,
                                       "received_on": _today(), "summary_markdown": "x"})
    publish_response(response)
    db.session.commit()
    with pytest.raises(NotFound):
        get_response(petition, response.id)
    assert edit_response(response, {"summary_markdown": "x"}) == []
    assert edit_response(response, {"summary_markdown": "y", "remove_document": True}) == [
        "summary_markdown"]


def test_publishing_a_response_mails_the_consenting_signers_once(app, client, petition, editor):
    sign(client, petition.slug, email="ani@example.org", contact_ok="y")
    sign(client, petition.slug, email="quiet@example.org")
    for message in delivered_mail(app):
        path = relative(link_in(message, "/confirm/"))
        from tests.conftest import csrf_token_for

        client.post(path, data={"csrf_token": csrf_token_for(app, client, path)})
    delivered_mail(app).clear()
    response = record_response(petition, {
        "addressee_id": petition.addressees[0].id, "received_on": _today(),
        "summary_markdown": "The Secretary-General will raise the cases."}, user=editor)
    update = publish_response(response, mail_signers=True, author=editor)
    db.session.commit()
    assert update.response_id == response.id
    news = [m for m in delivered_mail(app) if m["Subject"].startswith("News:")]
    assert [m["To"] for m in news] == ["Anna <ani@example.org>"]
    assert "António Guterres has responded" in news[0]["Subject"]
    assert "will raise the cases" in news[0].get_body(("plain",)).get_content()
    with pytest.raises(Conflict):
        publish_response(response, mail_signers=True)
