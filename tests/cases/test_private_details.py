"""The family's contact, notes, search steps and the representative's contact: encrypted at rest,
refused without a key, read only through an audited service."""

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from campaign.accounts.models import AuditEvent
from campaign.cases.crypto import EncryptionKeyMissing
from campaign.cases.models import PersonOfConcern
from campaign.cases.privacy import read_private_details
from campaign.cases.services import update_person
from campaign.errors import CampaignError
from campaign.extensions import db
from tests import factories

FAMILY_CONTACT = "Մայրը՝ Սիրանուշ, +374 91 555 123, Գյումրի"
NOTES = "Seen by a released detainee in March 2021; family asks for discretion."


def _stored_bytes() -> bytes:
    """Everything the database has written for the persons: the SQLite files (with the
    write-ahead log), or on PostgreSQL every column of every row as the server holds it."""
    if db.engine.dialect.name == "sqlite":
        database = Path(db.engine.url.database)
        return b"".join(path.read_bytes() for path in database.parent.glob(database.name + "*"))
    rows = db.session.execute(text("SELECT p::text FROM persons_of_concern p")).scalars()
    return "\n".join(rows).encode()


def test_family_contact_and_notes_are_not_stored_in_clear(organisation):
    factories.create_person_of_concern(
        organisation, name="Vardan Hakobyan", family_contact=FAMILY_CONTACT, notes=NOTES)
    db.session.commit()
    stored = _stored_bytes()
    assert b"Vardan Hakobyan" in stored  # the right place is being read
    for secret in (FAMILY_CONTACT, "+374 91 555 123", "Սիրանուշ", NOTES, "discretion"):
        assert secret.encode() not in stored
    token = db.session.scalar(db.select(PersonOfConcern.family_contact_encrypted))
    assert token.startswith("gAAAA")  # a Fernet token


def test_without_a_key_private_details_are_refused_and_nothing_is_stored(app_factory):
    app = app_factory()  # no CASES_ENCRYPTION_KEY
    with app.app_context():
        organisation = factories.create_organisation()
        with pytest.raises(EncryptionKeyMissing) as refused:
            factories.create_person_of_concern(organisation, family_contact=FAMILY_CONTACT)
        assert "CASES_ENCRYPTION_KEY" in refused.value.message
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(PersonOfConcern.id))) == 0
        # The rest of the record needs no key.
        person = factories.create_person_of_concern(organisation)
        with pytest.raises(EncryptionKeyMissing):
            update_person(person, {"notes": NOTES})


def test_every_read_of_private_details_is_audited_with_who_and_why(organisation, editor):
    person = factories.create_person_of_concern(organisation, name="Rustam Aliyev",
                                                family_contact=FAMILY_CONTACT, notes=NOTES)
    first = read_private_details(person, reader=editor, purpose="person page")
    second = read_private_details(person, reader=editor, purpose="letter 7")
    db.session.commit()

    assert first.family_contact == FAMILY_CONTACT and second.notes == NOTES
    events = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "case.private_details_read").order_by(AuditEvent.id)).all()
    assert [(e.user_id, e.details["purpose"]) for e in events] == [
        (editor.id, "person page"), (editor.id, "letter 7")]
    assert all(e.subject == f"person #{person.id}" for e in events)
    assert all("Rustam" not in e.subject + str(e.details) for e in events)


def test_viewers_and_other_organisations_cannot_read_private_details(organisation, viewer):
    person = factories.create_person_of_concern(organisation, family_contact=FAMILY_CONTACT)
    outsider = factories.create_member(factories.create_organisation(), "owner")
    for reader in (viewer, outsider):
        with pytest.raises(CampaignError) as refused:
            read_private_details(person, reader=reader, purpose="curiosity")
        assert refused.value.status == 403
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(
        AuditEvent.action == "case.private_details_read")) == 0


def test_an_import_with_family_contacts_but_no_key_says_so_and_imports_nothing(
        app_factory, tmp_path):
    app = app_factory()  # no CASES_ENCRYPTION_KEY
    with app.app_context():
        organisation = factories.create_organisation()
        path = tmp_path / "list.csv"
        path.write_text("name,category,status,family_contact\n"
                        f"Vardan Hakobyan,hostage,detained,{FAMILY_CONTACT}\n", encoding="utf-8")
        result = app.test_cli_runner().invoke(
            args=["cases", "import", str(path), "--org", organisation.slug])
        assert result.exit_code == 1
        assert "line 2: error:" in result.output and "CASES_ENCRYPTION_KEY" in result.output
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(PersonOfConcern.id))) == 0


def test_a_rotated_key_reads_old_details_and_reencrypts_them(app, runner, organisation):
    person = factories.create_person_of_concern(organisation, family_contact=FAMILY_CONTACT)
    old_token = person.family_contact_encrypted
    old_key, new_key = app.config["CASES_ENCRYPTION_KEY"], Fernet.generate_key().decode()
    app.config.update(CASES_ENCRYPTION_KEY=new_key, CASES_ENCRYPTION_KEY_FALLBACKS=[old_key])
    assert read_private_details(person, reader=None, purpose="rotation").family_contact == \
        FAMILY_CONTACT
    db.session.commit()
    result = runner.invoke(args=["cases", "reencrypt"])
    assert "re-encrypted the private details of 1 persons" in result.output
    db.session.rollback()
    assert person.family_contact_encrypted != old_token
    app.config.update(CASES_ENCRYPTION_KEY_FALLBACKS=[])
    assert read_private_details(person, reader=None, purpose="check").family_contact == \
        FAMILY_CONTACT
