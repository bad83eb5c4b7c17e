"""`flask demo load`: a realistic demo in seconds, and running it twice changes nothing."""

from campaign.accounts.models import Membership, Organisation, Role, User
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.signatures.counters import counts_by, find_drift, signature_count
from campaign.signatures.models import CountDimension, Signature


def _table_sizes():
    return {
        model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (Organisation, User, Membership, Petition, Signature)
    }


def test_demo_load_creates_the_demo_organisation_petitions_and_signatures(app, runner):
    result = runner.invoke(args=["demo", "load", "--password", "demo-pass-123"])
    assert result.exit_code == 0, result.output
    db.session.rollback()

    organisation = db.session.scalar(db.select(Organisation).where(Organisation.slug == "demo"))
    organiser = db.session.scalar(db.select(User).where(User.email == "demo@example.org"))
    assert organiser.check_password("demo-pass-123")
    assert organiser.memberships[0].organisation == organisation
    assert organiser.memberships[0].role == Role.OWNER

    pow_petition = db.session.scalar(
        db.select(Petition).where(Petition.slug == "release-prisoners-of-war"))
    assert len(pow_petition.addressees) == 11
    assert len(pow_petition.demands) >= 3
    assert len(pow_petition.references) == 8
    assert db.session.scalar(
        db.select(Petition).where(Petition.slug == "account-for-the-missing")) is not None

    count = signature_count(pow_petition.id)
    assert count >= 3000
    assert len(counts_by(pow_petition.id, CountDimension.COUNTRY)) >= 20
    assert len(counts_by(pow_petition.id, CountDimension.DAY)) >= 55
    petition_ids = db.session.scalars(db.select(Petition.id)).all()
    assert find_drift(petition_ids) == []


def test_running_demo_load_twice_changes_nothing(app, runner):
    runner.invoke(args=["demo", "load"])
    db.session.rollback()
    before = _table_sizes()
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert "nothing changed" in second.output
    db.session.rollback()
    assert _table_sizes() == before


def test_without_a_password_one_is_generated_and_shown_once(app, runner):
    result = runner.invoke(args=["demo", "load"])
    password = result.output.split("organiser password: ")[1].strip()
    db.session.rollback()
    organiser = db.session.scalar(db.select(User).where(User.email == "demo@example.org"))
    assert organiser.check_password(password)


def test_if_empty_leaves_a_database_with_data_alone(app, runner, organisation):
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "demo not loaded" in result.output
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


def test_the_demo_petition_page_shows_its_figures(app, client, runner):
    runner.invoke(args=["demo", "load"])
    db.session.rollback()
    data = client.get("/p/release-prisoners-of-war.json").json
    assert data["signature_count"] == 6000
    assert data["next_goal"] == 10_000
    assert len(data["addressees"]) == 11
