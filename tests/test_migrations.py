"""`flask db upgrade` on an empty database yields exactly the schema the models describe."""

import uuid

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from campaign import create_app
from campaign.extensions import db
from tests.conftest import POSTGRES_URI, on_postgres


@pytest.fixture
def empty_database_uri(tmp_path):
    if not on_postgres():
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    # A database of its own, so that the suite's tables do not hide a missing migration.
    url = make_url(POSTGRES_URI)
    name = f"campaign_migrations_{uuid.uuid4().hex[:8]}"
    admin = f"host={url.host} port={url.port or 5432} user={url.username} dbname={url.database}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_upgrade_on_an_empty_database_matches_the_models(empty_database_uri):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_uri})
    with app.app_context():
        upgrade()
        engine = create_engine(empty_database_uri)
        try:
            with engine.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"compare_type": True, "render_as_batch": True}
                )
                differences = compare_metadata(context, db.metadata)
                tables = set(inspect(connection).get_table_names())
        finally:
            engine.dispose()
        db.engine.dispose()
    assert differences == []
    assert {"petitions", "signatures", "signature_counts", "outbox_messages"} <= tables
