"""Email normalisation: the same mailbox always gives the same deduplication key."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.signatures.normalise import normalise_email


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Anna@Example.ORG", "anna@example.org"),
        ("  anna@example.org ", "anna@example.org"),
        ("ÄNNA@example.org", "änna@example.org"),
        # NFKC: a full-width letter and a composed accent give the same key as plain forms.
        ("ａnna@example.org", "anna@example.org"),
        ("re\u0301ne@example.org", "réne@example.org"),
        ("anna@bücher.example", "anna@xn--bcher-kva.example"),
        ("Anna.Petrosyan+petitions@gmail.com", "annapetrosyan@gmail.com"),
        ("a.n.n.a@googlemail.com", "anna@gmail.com"),
        ("ANNA@GMAIL.COM.", "anna@gmail.com"),
    ],
)
def test_addresses_of_one_mailbox_share_a_key(typed, key):
    assert normalise_email(typed) == key


def test_dots_and_tags_still_matter_outside_gmail():
    assert normalise_email("a.nna+x@example.org") == "a.nna+x@example.org"
    assert normalise_email("a.nna@example.org") != normalise_email("anna@example.org")


@pytest.mark.parametrize("bad", ["", "anna", "@example.org", "anna@"])
def test_something_that_is_not_an_address_is_refused(bad):
    with pytest.raises(ValueError):
        normalise_email(bad)


@given(st.emails())
def test_normalising_twice_changes_nothing(address):
    once = normalise_email(address)
    assert normalise_email(once) == once
