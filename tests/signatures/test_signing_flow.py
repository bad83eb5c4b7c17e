"""A supporter signs, confirms by email, and is counted exactly once; through the HTTP client."""

from datetime import timedelta

from campaign.extensions import db
from campaign.mail.models import OutboxMessage
from campaign.signatures.counters import counts_by, find_drift, pending_count, signature_count
from campaign.signatures.models import (
    CountDimension,
    Signature,
    SignatureState,
    SignatureToken,
)
from campaign.types import utcnow
from tests.conftest import csrf_token_from, delivered_mail, link_in, relative, sign


def _signatures():
    return db.session.scalars(db.select(Signature)).all()


def _confirm(client, message):
    confirm_path = relative(link_in(message, "/confirm/"))
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert b"Confirm my signature" in page.data

    return client.post(confirm_path, data={"csrf_token": csrf_token_from(page.get_data(True))})


def test_signing_sends_a_confirmation_mail_and_confirming_counts_the_signature(
    app, client, petition
):
    response = sign(client, petition.slug)
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert b"Check your inbox" in page.data
    assert signature_count(petition.id) == 0, "a pending signature is not counted"

    [message] = delivered_mail(app)
    assert message["To"] == "Anna <anna@example.org>"
    assert petition.title in message["Subject"]
    assert petition.organisation.name in message["From"]
    assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None

    confirmed = _confirm(client, message)
    assert confirmed.status_code == 303
    thanks = client.get(confirmed.headers["Location"])
    assert b"your signature is counted" in thanks.data
    assert signature_count(petition.id) == 1
    [signature] = _signatures()
    assert signature.state == SignatureState.CONFIRMED


def test_the_mail_greets_the_signer_by_first_name_and_carries_nothing_else_they_typed(
    app, client, petition
):
    sign(client, petition.slug, full_name='Anna <b>"Ani"</b> & Co')
    [message] = delivered_mail(app)
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "Hello Anna," in html and "Hello Anna," in text
    assert "Ani" not in html and "<b>" not in html and "Ani" not in text
    assert f"Thank you for signing “{petition.title}”." in text


def test_signing_and_confirming_write_exactly_their_rows(app, client, petition):
    sign(client, petition.slug, country="AM", source="radio")
    db.session.commit()  # a fresh snapshot: the request wrote on its own connection
    [signature] = _signatures()
    assert signature.state == SignatureState.PENDING and signature.country == "AM"
    tokens = {t.purpose.value: t for t in db.session.scalars(db.select(SignatureToken))}
    assert set(tokens) == {"confirm", "withdraw"}
    assert all(t.signature_id == signature.id and t.used_at is None for t in tokens.values())
    days = (tokens["confirm"].expires_at - signature.created_at).total_seconds() / 86400
    assert round(days, 3) == app.config["CONFIRM_TOKEN_DAYS"]
    assert tokens["withdraw"].expires_at is None
    [queued] = db.session.scalars(db.select(OutboxMessage)).all()
    assert queued.kind == "signature.confirm" and queued.headers == {}
    assert queued.recipient == "Anna <anna@example.org>"
    assert queued.signature_id == signature.id
    assert queued.organisation_id == petition.organisation_id
    assert pending_count(petition.id) == 1 and signature_count(petition.id) == 0

    [message] = delivered_mail(app)
    assert _confirm(client, message).status_code == 303
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(SignatureToken, tokens["confirm"].id).used_at is not None
    assert db.session.get(SignatureToken, tokens["withdraw"].id).used_at is None
    assert pending_count(petition.id) == 0 and signature_count(petition.id) == 1
    assert counts_by(petition.id, CountDimension.COUNTRY) == {"AM": 1}
    assert counts_by(petition.id, CountDimension.SOURCE) == {"radio": 1}
    assert find_drift([petition.id]) == []


def test_following_the_mailed_link_with_get_does_not_confirm(app, client, petition):
    sign(client, petition.slug)
    [message] = delivered_mail(app)
    client.get(relative(link_in(message, "/confirm/")))
    client.get(relative(link_in(message, "/confirm/")))
    assert signature_count(petition.id) == 0
    assert _signatures()[0].state == SignatureState.PENDING


def test_confirming_twice_counts_once_and_says_it_is_already_counted(app, client, petition):
    sign(client, petition.slug)
    [message] = delivered_mail(app)
    assert _confirm(client, message).status_code == 303
    again = _confirm(client, message)
    assert again.status_code == 303
    assert signature_count(petition.id) == 1


def test_a_repeat_signature_gets_the_same_page_and_an_already_signed_mail(app, client, petition):
    first = sign(client, petition.slug)
    [confirmation] = delivered_mail(app)
    _confirm(client, confirmation)

    repeat = sign(client, petition.slug, email="ANNA@example.org", full_name="Someone Else")
    assert repeat.status_code == first.status_code
    assert repeat.headers["Location"] == first.headers["Location"]
    assert len(_signatures()) == 1
    assert signature_count(petition.id) == 1
    [notice] = [m for m in delivered_mail(app) if "already signed" in m["Subject"]]
    assert "/withdraw/" in notice.get_body(("plain",)).get_content()
    assert _signatures()[0].full_name == "Anna Petrosyan", "a repeat never overwrites details"


def test_a_gmail_address_with_dots_and_a_tag_is_the_same_signer(app, client, petition):
    sign(client, petition.slug, email="anna.petrosyan@gmail.com")
    sign(client, petition.slug, email="AnnaPetrosyan+campaign@googlemail.com")
    assert len(_signatures()) == 1


def test_repeat_submissions_do_not_flood_the_signers_inbox(app, client, petition):
    for _ in range(5):
        sign(client, petition.slug)
    # one confirmation, then one reminder with a fresh link; the rest are held back
    assert len(delivered_mail(app)) == 2


def test_a_pending_signer_who_signs_again_gets_a_fresh_link_that_works(app, client, petition):
    sign(client, petition.slug)
    signature = _signatures()[0]
    signature.duplicate_notice_at = None
    db.session.commit()
    sign(client, petition.slug)
    first, second = delivered_mail(app)
    assert link_in(first, "/confirm/") != link_in(second, "/confirm/")
    _confirm(client, second)
    assert signature_count(petition.id) == 1


def test_an_expired_confirmation_link_is_refused_with_advice(app, client, petition):
    sign(client, petition.slug)
    [message] = delivered_mail(app)
    for token in db.session.scalars(db.select(SignatureToken)):
        if token.expires_at:
            token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = _confirm(client, message)
    assert response.status_code == 410
    assert b"expired" in response.data
    assert signature_count(petition.id) == 0


def test_an_unknown_confirmation_token_is_a_clear_404(client, petition):
    page = client.get("/confirm/not-a-real-token")
    assert page.status_code == 404
    assert b"not valid" in page.data


def test_withdrawing_stops_the_count_erases_details_and_keeps_the_goal(app, client, petition):
    sign(client, petition.slug, show_name="y", city="Lyon", comment="For my cousin")
    [message] = delivered_mail(app)
    _confirm(client, message)
    goal_before = client.get(f"/p/{petition.slug}.json").json["next_goal"]

    withdraw_path = relative(link_in(message, "/withdraw/"))
    page = client.get(withdraw_path)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    done = client.post(withdraw_path, data={"csrf_token": csrf_token_from(page.get_data(True))})
    assert done.status_code == 200
    assert b"withdrawn" in done.data

    assert signature_count(petition.id) == 0
    [signature] = _signatures()
    assert signature.state == SignatureState.WITHDRAWN
    assert (signature.full_name, signature.city, signature.comment) == ("", None, None)
    assert client.get(f"/p/{petition.slug}.json").json["next_goal"] >= goal_before
    # the used confirmation link cannot bring the signature back
    assert _confirm(client, message).status_code == 410


def test_someone_who_withdrew_can_sign_again(app, client, petition):
    sign(client, petition.slug)
    [message] = delivered_mail(app)
    _confirm(client, message)
    withdraw_path = relative(link_in(message, "/withdraw/"))
    page = client.get(withdraw_path)
    client.post(withdraw_path, data={"csrf_token": csrf_token_from(page.get_data(True))})

    sign(client, petition.slug, full_name="Anna P.")
    again = delivered_mail(app)[-1]
    _confirm(client, again)
    assert signature_count(petition.id) == 1
    withdrawn, signed_again = sorted(_signatures(), key=lambda s: s.id)
    assert (withdrawn.state, withdrawn.email) == (SignatureState.WITHDRAWN, "")
    assert (signed_again.state, signed_again.full_name) == (SignatureState.CONFIRMED, "Anna P.")


def test_a_filled_honeypot_gets_the_same_page_but_stores_nothing(app, client, petition):
    response = sign(client, petition.slug, website="http://spam.example")
    assert response.status_code == 303
    assert "check-your-inbox" in response.headers["Location"]
    assert _signatures() == []
    assert delivered_mail(app) == []


def test_the_source_code_of_the_link_is_remembered(app, client, petition):
    page = client.get(f"/p/{petition.slug}?source=partner-a")
    assert b'value="partner-a"' in page.data
    sign(client, petition.slug, source="partner-a")
    assert _signatures()[0].source == "partner-a"


def test_an_implausible_source_code_is_dropped(app, client, petition):
    sign(client, petition.slug, source="=cmd|' /C calc'!A0")
    assert _signatures()[0].source is None


def test_the_signers_consent_choices_default_to_private(app, client, petition):
    sign(client, petition.slug)
    signature = _signatures()[0]
    assert signature.show_name is False
    assert signature.contact_ok is False
