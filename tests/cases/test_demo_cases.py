"""The demo's persons of concern: both scripts, several categories and statuses, a few named with
consent, behind the demo petitions; loading twice changes nothing."""

import re

from campaign.accounts.models import Organisation
from campaign.cases.figures import case_figures, public_persons, status_series
from campaign.cases.models import PersonOfConcern, StatusEvent
from campaign.cases.privacy import read_private_details
from campaign.cases.services import list_persons
from campaign.extensions import db
from campaign.petitions.models import Petition

ARMENIAN = re.compile("[\u0531-\u058f]")
AZERBAIJANI = re.compile("[əƏğĞıİöÖüÜşŞçÇ]")


def _demo():
    organisation = db.session.scalar(db.select(Organisation).where(Organisation.slug == "demo"))
    petition = db.session.scalar(
        db.select(Petition).where(Petition.slug == "release-prisoners-of-war"))
    return organisation, petition


def test_demo_load_records_persons_behind_the_demo_petitions(runner):
    result = runner.invoke(args=["demo", "load", "--password", "demo-pass-123"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    organisation, petition = _demo()
    persons = list_persons(organisation)

    assert len(persons) >= 20
    assert sum(bool(ARMENIAN.search(p.name_original)) for p in persons) >= 8
    assert sum(bool(AZERBAIJANI.search(p.name_original)) for p in persons) >= 8
    assert all(p.name.isascii() for p in persons)  # every name has a Latin transliteration
    assert len({p.category.code for p in persons}) == 4
    assert len({p.status for p in persons}) == 6
    assert {p.nationality for p in persons} == {"AM", "AZ"}
    named = public_persons(organisation, petition)
    assert 2 <= len(named) <= 4
    assert all(p.public_consent_on for p in persons if p.is_public)

    figures = case_figures(organisation, petition)
    assert 0 < figures.still_detained < figures.total
    assert "missing" not in figures.by_category  # the missing are behind the other petition
    missing = db.session.scalar(
        db.select(Petition).where(Petition.slug == "account-for-the-missing"))
    assert case_figures(organisation, missing).by_category.keys() == {"missing"}
    assert len(status_series(organisation)) >= 10

    # With a key configured, family contacts are recorded, encrypted.
    gevorg = next(p for p in persons if p.name == "Gevorg Sargsyan")
    assert "+374" in read_private_details(gevorg, reader=None, purpose="test").family_contact


def test_demo_load_twice_records_nobody_twice(runner):
    runner.invoke(args=["demo", "load"])
    db.session.rollback()
    counts = [db.session.scalar(db.select(db.func.count(model.id)))
              for model in (PersonOfConcern, StatusEvent)]
    second = runner.invoke(args=["demo", "load"])
    assert "nothing changed" in second.output
    db.session.rollback()
    assert [db.session.scalar(db.select(db.func.count(model.id)))
            for model in (PersonOfConcern, StatusEvent)] == counts


def test_a_demo_loaded_before_the_registry_gets_its_persons(runner):
    runner.invoke(args=["demo", "load"])
    db.session.rollback()
    for person in db.session.scalars(db.select(PersonOfConcern)):
        db.session.delete(person)
    db.session.commit()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0
    db.session.rollback()
    organisation, petition = _demo()
    assert case_figures(organisation, petition).total > 0
