"""A ready letter, drafted through the letters' service."""

import pytest

from tests import factories


@pytest.fixture
def letter(app, organisation):
    return factories.create_letter(organisation)
