"""Persons of concern are tested with an encryption key configured, as in production."""

import pytest
from cryptography.fernet import Fernet

ENCRYPTION_KEY = Fernet.generate_key().decode()


@pytest.fixture
def app(app_factory):
    app = app_factory(CASES_ENCRYPTION_KEY=ENCRYPTION_KEY)
    with app.app_context():
        yield app
