"""The floor under the sign-and-confirm flow: the application's own reads and writes for a new
signature and for its confirmation (campaign/signatures/writes.py, in the same transactions),
in two bare Flask POSTs with nothing else: no form validation, CSRF check, session, template,
locale or extension.

An implementation of the flow on this stack that writes what the application writes will not
be much faster than this floor, so the benchmark reports it beside the application: the
floor's distance from the bare insert is what the flow's writes cost; the application's
distance from the floor is what everything else costs.
"""

from __future__ import annotations

import os
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, g, redirect, request

from campaign.database import install_sqlite_rules
from campaign.link_tokens import digest, new_secret
from campaign.mail.services import outbox_row
from campaign.petitions.services import _HEAD_BY_SLUG
from campaign.signatures import counters, writes
from campaign.signatures.models import SignatureState
from campaign.signatures.services import _CONFIRMATION
from campaign.types import utcnow

SENDER = "Floor <floor@bench.example>"


def create_floor_app() -> Flask:
    install_sqlite_rules()
    app = Flask(__name__)
    app.config["COUNTER_SHARDS"] = int(os.environ.get("CAMPAIGN_COUNTER_SHARDS", "16"))
    engine = sa.create_engine(os.environ["BENCH_DATABASE_URI"], pool_pre_ping=True)

    @app.get("/p/<slug>")
    def page(slug: str):
        # The load generator reads a CSRF token from the page first; the floor ignores it.
        return '<input name="csrf_token" type="hidden" value="-">'

    @app.post("/p/<slug>/sign")
    def sign(slug: str):
        form = request.form
        with engine.connect() as connection:
            g.sqlite_reads_first = True  # as the application: read, then write briefly
            head = connection.execute(_HEAD_BY_SLUG, {"slug": slug}).one()
            _end_reads(connection)
            now = utcnow()
            confirm, confirm_hash = new_secret()
            withdraw, withdraw_hash = new_secret()
            email = form["email"].strip()
            body = (f"http://127.0.0.1/confirm/{confirm}\n"
                    f"http://127.0.0.1/withdraw/{withdraw}\n")
            writes.insert_signature(
                connection,
                {"petition_id": head.id, "email_normalised": email.lower(), "ip_digest": None,
                 "locale": "en", "state": SignatureState.PENDING, "created_at": now,
                 "modified_at": now, "full_name": form["full_name"], "email": email,
                 "country": form["country"], "postal_code": None, "city": None,
                 "comment": None, "show_name": False, "name_withheld": False,
                 "contact_ok": False, "source": None},
                writes.NewTokens(confirm_hash, now + timedelta(days=14), withdraw_hash),
                counters.pending_rows(head.id, 1),
                outbox_row(kind="signature.confirm", sender=SENDER,
                           recipient=f"{form['full_name']} <{email}>", subject="Confirm",
                           text_body=body, html_body=body))
            connection.commit()
        return redirect(f"/p/{slug}/check-your-inbox", code=303)

    @app.post("/confirm/<token>")
    def confirm(token: str):
        with engine.connect() as connection:
            g.sqlite_reads_first = True
            row = connection.execute(_CONFIRMATION, {"token_hash": digest(token)}).one()
            _end_reads(connection)
            token_id, _used, _expires, signature_id, _state, country, source = row[:7]
            petition_id, slug = row[7], row[8]
            now = utcnow()
            writes.record_confirmation(
                connection, signature_id=signature_id, token_id=token_id, now=now,
                counts=counters.confirmation_rows(petition_id, country=country, day=now.date(),
                                                  source=source))
            connection.commit()
        return redirect(f"/p/{slug}/thank-you", code=303)

    return app


def _end_reads(connection: sa.Connection) -> None:
    """As `campaign.database.begin_writes`: on SQLite the read transaction ends and the writes
    take the lock; elsewhere the writes follow in the same transaction."""
    g.sqlite_writing = True
    if connection.dialect.name == "sqlite":
        connection.rollback()


app = create_floor_app() if "BENCH_DATABASE_URI" in os.environ else None
