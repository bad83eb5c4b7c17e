"""A name typed on the signing form cannot turn our mail into phishing: it appears only as a
first name of letters, and it can never add a recipient."""

from email import message_from_bytes, policy

import pytest

from campaign.mail.services import plain_name, recipient_header
from tests.conftest import sign

# 70 characters, with a comma and an @: folded carelessly, it reads as two more addresses.
TRICK_NAME = "Ünal Petrosyan, attacker@evil.example, please write back to me soon ok"


def test_the_trick_name_is_seventy_characters_with_a_comma_and_an_at():
    assert len(TRICK_NAME) == 70 and "," in TRICK_NAME and "@" in TRICK_NAME


@pytest.mark.parametrize("utf8", [False, True])
def test_a_recipient_header_is_one_address_however_it_is_folded(utf8):
    from email.message import EmailMessage

    message = EmailMessage()
    message["To"] = recipient_header(TRICK_NAME, "victim@example.org")
    message.set_content("x")
    raw = message.as_bytes(policy=message.policy.clone(utf8=utf8))
    parsed = message_from_bytes(raw, policy=policy.default)
    assert [a.addr_spec for a in parsed["To"].addresses] == ["victim@example.org"]
    assert b"attacker" not in raw


def test_a_signer_cannot_add_a_recipient_through_their_name(smtp_app, smtp_server):
    from tests import factories

    petition = factories.create_open_petition(factories.create_organisation())
    assert sign(smtp_app.test_client(), petition.slug, full_name=TRICK_NAME,
                email="victim@example.org").status_code == 303
    result = smtp_app.test_cli_runner().invoke(args=["mail", "send"])
    assert "sent 1" in result.output
    [(_sender, recipients)] = smtp_server.handler.envelopes
    assert recipients == ["victim@example.org"]
    [message] = smtp_server.messages
    assert [a.addr_spec for a in message["To"].addresses] == ["victim@example.org"]
    assert "attacker" not in message.as_string()


@pytest.mark.parametrize("name", [
    "https://evil.example/login Anna", "www.evil.example Anna", "evil.example",
    "Anna@evil.example", "<a href=x>Anna</a>", "Click:here", "Ann4",
])
def test_a_name_that_could_carry_a_link_is_left_out_of_the_mail(app, client, petition, name):
    from tests.conftest import delivered_mail

    sign(client, petition.slug, full_name=name)
    [message] = delivered_mail(app)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Hello,\n")
    assert "evil" not in message.as_string() and "href=x" not in html
    assert message["To"] == "anna@example.org"


@pytest.mark.parametrize(("full_name", "shown"), [
    ("Anna Petrosyan", "Anna"), ("Նարեկ Սարգսյան", "Նարեկ"), ("O'Brien", "O'Brien"),
    ("José-María López", "José-María"), ("  ", ""), ("Ünal,", ""),
])
def test_only_a_first_name_of_letters_is_used(full_name, shown):
    assert plain_name(full_name) == shown
