"""API keys and signers for the data tests."""

import pytest

from campaign.accounts.models import TokenScope
from campaign.accounts.tokens import create_token
from campaign.extensions import db
from campaign.signatures.counters import add_to_counts
from campaign.signatures.models import Signature, SignatureState
from campaign.types import utcnow


def make_token(organisation, scope: TokenScope) -> str:
    _token, raw = create_token(organisation, scope, "test")
    db.session.commit()
    return raw


@pytest.fixture
def read_key(app, organisation):
    return make_token(organisation, TokenScope.READ)


@pytest.fixture
def write_key(app, organisation):
    return make_token(organisation, TokenScope.WRITE)


def add_signers(petition, count: int, *, country="FR", contact_ok=False, source=None,
                start=0, when=None):
    when = when or utcnow()
    for n in range(start, start + count):
        email = f"signer{n}@example.org"
        db.session.add(Signature(
            petition=petition, full_name=f"Signer Number{n}", email=email,
            email_normalised=email, country=country, contact_ok=contact_ok, source=source,
            state=SignatureState.CONFIRMED, confirmed_at=when, created_at=when,
            modified_at=when))
        add_to_counts(petition.id, country=country, day=when.date(), source=source, delta=1)
    db.session.commit()
