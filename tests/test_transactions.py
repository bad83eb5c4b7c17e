"""One commit per request: what a view wrote is stored when it succeeds, and nothing of it when
it fails (a raised or returned 4xx, an unexpected error); only the hook, the command line and
the mail worker ever commit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import abort

from campaign.accounts import services as accounts
from campaign.accounts.models import AuditEvent, Organisation, TokenScope
from campaign.errors import CampaignError
from campaign.extensions import db
from campaign.petitions.models import Petition
from tests import factories
from tests.conftest import Browser, login

PACKAGE = Path(__file__).resolve().parent.parent / "campaign"
# The places that end transactions: the request hook, the commands, the mail worker, and the
# database layer ending a read-only transaction for SQLite's write lock.
MAY_COMMIT = {"web/transactions.py", "database.py", "demo.py", "mail/delivery.py"}


def _commits(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(), str(path))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "commit"]


def test_only_the_request_hook_the_commands_and_the_worker_commit():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in MAY_COMMIT or path.name == "cli.py":
            continue
        found += [f"{name}:{line}" for line in _commits(path)]
    assert found == [], "commit() outside the request hook, the commands and the worker"


def test_the_commit_check_sees_a_commit(tmp_path):
    view = tmp_path / "view.py"
    view.write_text("def save():\n    db.session.commit()\n")
    assert _commits(view) == [2]


def _failing_views(app):
    """Views that write through a service and then fail in each way a view can fail."""

    def write(slug):
        accounts.create_organisation(slug, "Written then failed")

    def raises_campaign_error():
        write("campaign-error")
        raise CampaignError("Refused after writing.", 409)

    def aborts():
        write("aborted")
        abort(403)

    def answers_422():
        write("answered-422")
        return "A form with errors", 422

    def breaks():
        write("broken")
        raise RuntimeError("a bug after writing")

    def succeeds():
        write("succeeded")
        return "Saved"

    for view in (raises_campaign_error, aborts, answers_422, breaks, succeeds):
        app.add_url_rule(f"/test/{view.__name__}", view_func=view, methods=["GET"])


@pytest.mark.parametrize(("path", "status"), [
    ("raises_campaign_error", 409), ("aborts", 403), ("answers_422", 422), ("breaks", 500)])
def test_a_view_that_wrote_and_then_failed_leaves_the_database_as_it_was(app, path, status):
    _failing_views(app)
    response = Browser(app).get(f"/test/{path}")
    assert response.status_code == status
    db.session.rollback()
    assert db.session.scalars(db.select(Organisation.slug)).all() == []


def test_a_view_that_succeeded_is_stored(app):
    _failing_views(app)
    assert Browser(app).get("/test/succeeds").status_code == 200
    db.session.rollback()
    assert db.session.scalars(db.select(Organisation.slug)).all() == ["succeeded"]


def test_an_api_update_refused_halfway_stores_neither_the_edit_nor_its_audit(app):
    """The service edits the draft's summary (and the audit log has it), then closing a
    draft is refused: the answer is a 409 and the petition is as it was."""
    organisation = factories.create_organisation()
    petition = factories.create_draft_petition(organisation)
    key = factories.create_api_key(organisation, TokenScope.WRITE)
    response = Browser(app).post(
        f"/api/v1/petitions/{petition.id}", method="PUT", headers={"OSDI-API-Token": key},
        json={"summary": "Changed before the refusal.", "campaign:state": "closed"})
    assert response.status_code == 409
    db.session.rollback()
    assert db.session.get(Petition, petition.id).summary != "Changed before the refusal."
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 0


def test_a_streamed_export_stores_its_audit_entry_before_its_first_row(app, organisation,
                                                                        petition, editor):
    factories.create_signers(petition, 3)
    client = app.test_client()
    login(client, editor)
    response = client.get(f"/o/{organisation.slug}/exports/petitions/{petition.id}/"
                          f"signatures.csv", buffered=False)
    with db.engine.connect() as elsewhere:  # not a row of the body has been read yet
        audited = elsewhere.scalar(db.select(db.func.count(AuditEvent.id)).where(
            AuditEvent.action == "export.signatures"))
    assert audited == 1
    assert response.get_data(as_text=True).count("Signer Number") == 3
    response.close()
