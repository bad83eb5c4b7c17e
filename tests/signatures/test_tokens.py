"""Tokens mailed to signers are unguessable and only their hash is stored."""

from campaign.extensions import db
from campaign.signatures.models import SignatureToken, TokenPurpose
from campaign.signatures.tokens import find_token, hash_token, issue_token
from tests import factories


def _signature(petition):
    signature = factories.create_signature(petition, name="Anna", state="pending")
    db.session.execute(db.delete(SignatureToken))  # only the tokens each test issues
    return signature


def test_a_token_carries_at_least_256_bits_and_is_stored_only_as_a_hash(petition):
    raw = issue_token(_signature(petition), TokenPurpose.CONFIRM)
    db.session.flush()
    assert len(raw) >= 43  # 32 random bytes in URL-safe base64
    stored = db.session.scalars(db.select(SignatureToken.token_hash)).all()
    assert stored == [hash_token(raw)]
    assert raw not in stored


def test_two_tokens_are_never_the_same(petition):
    signature = _signature(petition)
    tokens = {issue_token(signature, TokenPurpose.CONFIRM) for _ in range(50)}
    assert len(tokens) == 50


def test_a_token_is_found_only_for_its_own_purpose(petition):
    raw = issue_token(_signature(petition), TokenPurpose.WITHDRAW)
    db.session.flush()
    assert find_token(raw, TokenPurpose.WITHDRAW) is not None
    assert find_token(raw, TokenPurpose.CONFIRM) is None
    assert find_token(raw[:-1] + ("A" if raw[-1] != "A" else "B"), TokenPurpose.WITHDRAW) is None
