"""Ready API keys for the data tests."""

import pytest

from campaign.accounts.models import TokenScope
from tests import factories


@pytest.fixture
def read_key(app, organisation):
    return factories.create_api_key(organisation, TokenScope.READ)


@pytest.fixture
def write_key(app, organisation):
    return factories.create_api_key(organisation, TokenScope.WRITE)
