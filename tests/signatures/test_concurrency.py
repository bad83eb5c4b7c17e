"""Simultaneous requests: the database, not luck, keeps one signature per person."""

import sqlite3
import threading

import pytest
from flask import g

from campaign.database import begin_writes
from campaign.extensions import db
from campaign.signatures.counters import signature_count
from campaign.signatures.models import Signature
from tests.conftest import (
    csrf_token_for,
    delivered_mail,
    link_in,
    on_postgres,
    relative,
    sign,
)


def _run_together(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results.append(work(i))
        except Exception as error:  # reported below, so a failing thread fails the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def test_twenty_simultaneous_submissions_of_one_email_store_one_signature(app, petition):
    slug = petition.slug
    clients = [app.test_client() for _ in range(20)]
    forms = [csrf_token_for(app, client, f"/p/{slug}") for client in clients]

    def submit(i):
        with app.app_context():
            response = clients[i].post(f"/p/{slug}/sign", data={
                "csrf_token": forms[i], "full_name": f"Anna {i}",
                "email": "anna@example.org" if i % 2 else "ANNA@Example.org",
                "country": "FR"})
            db.session.remove()
            return response.status_code

    statuses = _run_together(20, submit)
    assert statuses == [303] * 20
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 1


def test_simultaneous_confirmations_of_one_link_count_once(app, client, petition):
    sign(client, petition.slug)
    [message] = delivered_mail(app)
    path = relative(link_in(message, "/confirm/"))
    clients = [app.test_client() for _ in range(8)]
    tokens = [csrf_token_for(app, c, path) for c in clients]

    def confirm(i):
        with app.app_context():
            response = clients[i].post(path, data={"csrf_token": tokens[i]})
            db.session.remove()
            return response.status_code

    assert _run_together(8, confirm) == [303] * 8
    db.session.rollback()
    assert signature_count(petition.id) == 1


def test_many_signers_at_once_are_all_counted(app, petition):
    slug = petition.slug
    clients = [app.test_client() for _ in range(16)]
    tokens = [csrf_token_for(app, c, f"/p/{slug}") for c in clients]

    def submit(i):
        with app.app_context():
            clients[i].post(f"/p/{slug}/sign", data={
                "csrf_token": tokens[i], "full_name": f"Signer {i}",
                "email": f"signer{i}@example.org", "country": "AM"})
            db.session.remove()

    _run_together(16, submit)
    messages = delivered_mail(app)
    assert len(messages) == 16

    def confirm(i):
        path = relative(link_in(messages[i], "/confirm/"))
        token = csrf_token_for(app, clients[i], path)
        with app.app_context():
            clients[i].post(path, data={"csrf_token": token})
            db.session.remove()

    _run_together(16, confirm)
    db.session.rollback()
    assert signature_count(petition.id) == 16


@pytest.mark.skipif(on_postgres(), reason="SQLite's database-wide write lock")
def test_a_refused_signature_does_not_wait_for_another_writer(app, client, petition):
    """The form is checked before SQLite's write lock is taken: while another process holds
    the lock, a visitor with a mistake still gets the page that explains it (a request that
    needed the lock would wait for the busy timeout, then fail with 503)."""
    slug = petition.slug
    token = csrf_token_for(app, client, f"/p/{slug}")
    db.session.commit()  # the request must begin its own transaction
    other = sqlite3.connect(db.engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE petitions SET summary = summary")  # a writer, mid-transaction
    try:
        response = client.post(f"/p/{slug}/sign", data={
            "csrf_token": token, "full_name": "Anna", "email": "not an address",
            "country": "FR"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert response.status_code == 422
    assert "does not look right" in response.get_data(as_text=True)


@pytest.mark.skipif(on_postgres(), reason="SQLite's read transaction before the writes")
def test_begin_writes_refuses_to_commit_unflushed_changes_early(app, petition):
    with app.test_request_context("/", method="POST"):
        g.sqlite_reads_first = True
        db.session.scalar(db.select(Signature.id))  # a read transaction is open
        petition.title = "Changed"
        with pytest.raises(RuntimeError, match="committed early"):
            begin_writes()
        db.session.rollback()
        g.pop("sqlite_reads_first")
        g.pop("sqlite_writing")
