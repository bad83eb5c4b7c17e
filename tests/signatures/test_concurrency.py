"""Simultaneous requests: the database, not luck, keeps one signature per person."""

import threading

from campaign.extensions import db
from campaign.signatures.counters import signature_count
from campaign.signatures.models import Signature
from tests.conftest import csrf_token_for, delivered_mail, link_in, relative, sign


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
