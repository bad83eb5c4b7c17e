"""The ceiling the load benchmark compares against: a bare Flask app under the same gunicorn
settings that inserts one row per POST into the same database, and says hello."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, request

from campaign.database import install_sqlite_rules

metadata = sa.MetaData()
rows = sa.Table("bench_rows", metadata,
                sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("email", sa.String(254), unique=True, nullable=False),
                sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))


def create_bare_app() -> Flask:
    install_sqlite_rules()
    app = Flask(__name__)
    engine = sa.create_engine(os.environ["BENCH_DATABASE_URI"], pool_pre_ping=True)

    @app.post("/insert")
    def insert():
        with engine.begin() as connection:
            connection.execute(rows.insert().values(email=request.form["email"],
                                                    created_at=datetime.now(UTC)))
        return "ok", 201

    @app.get("/hello")
    def hello():
        return "hello"

    return app


app = create_bare_app() if "BENCH_DATABASE_URI" in os.environ else None
