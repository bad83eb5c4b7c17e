"""The figures behind a petition: who counts in public, how a status change shows at once, the
persons over time, and what erasure leaves behind."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from campaign.cases.fields import StatusReport
from campaign.cases.figures import (
    case_figures,
    petition_cases_json,
    public_persons,
    status_series,
)
from campaign.cases.models import CaseTombstone, PersonOfConcern, StatusEvent
from campaign.cases.privacy import delete_person
from campaign.cases.services import link_petition, record_status, update_person
from campaign.extensions import db
from tests import factories

RELEASED = StatusReport("released", date(2021, 1, 5), "icrc", "confirmed")


def _person(organisation, petition, **fields):
    return factories.create_person_of_concern(organisation, petition=petition, **fields)


def test_public_figures_count_aggregate_and_public_persons_only(organisation, petition):
    _person(organisation, petition, visibility="private", name="Hidden Person")
    _person(organisation, petition, visibility="aggregate")
    _person(organisation, petition, visibility="public", name="Named Person",
            name_original="Անուն Ազգանուն", public_consent_by="family",
            public_consent_on="2021-02-01", category="hostage", status="whereabouts_unknown")
    _person(organisation, None, visibility="aggregate")  # not linked to the petition

    public = case_figures(organisation, petition)
    assert public.as_json() | {"updated_at": None} == {
        "total": 2, "by_category": {"prisoner_of_war": 1, "hostage": 1},
        "by_status": {"detained": 1, "whereabouts_unknown": 1}, "still_detained": 1,
        "updated_at": None,
    }
    assert case_figures(organisation, petition, public=False).total == 3
    assert case_figures(organisation).total == 3
    assert case_figures(organisation, public=False).total == 4
    names = public_persons(organisation, petition)
    assert [(p.name, p.name_original, p.category, p.status_label) for p in names] == [
        ("Named Person", "Անուն Ազգանուն", "Hostage", "Whereabouts unknown")]
    assert "Hidden Person" not in repr(public) + repr(names)


def test_a_status_change_shows_in_the_figures_at_once_with_its_date(organisation, petition):
    people = [_person(organisation, petition) for _ in range(3)]
    before = case_figures(organisation, petition)
    assert (before.still_detained, before.total) == (3, 3)

    record_status(people[0], RELEASED)
    db.session.commit()
    after = case_figures(organisation, petition)
    assert (after.still_detained, after.total) == (2, 3)
    assert after.by_status == {"detained": 2, "released": 1}
    assert after.updated_at > before.updated_at
    assert case_figures(organisation).updated_at == after.updated_at


def test_a_private_persons_changes_never_move_the_public_date(organisation, petition):
    _person(organisation, petition)
    hidden = _person(organisation, petition, visibility="private")
    stamp = case_figures(organisation, petition).updated_at
    record_status(hidden, RELEASED)
    db.session.commit()
    assert case_figures(organisation, petition).updated_at == stamp
    assert case_figures(organisation, petition, public=False).updated_at > stamp
    # Leaving the public figures is a public change.
    visible = _person(organisation, petition)
    stamp = case_figures(organisation, petition).updated_at
    update_person(visible, {"visibility": "private"})
    db.session.commit()
    assert case_figures(organisation, petition).updated_at > stamp


def test_linking_a_person_changes_that_petitions_figures_only(organisation, petition):
    second = factories.create_open_petition(organisation)
    person = _person(organisation, petition)
    link_petition(person, second)
    assert link_petition(person, second) is False  # linking twice adds nothing
    db.session.commit()
    assert case_figures(organisation, second).total == 1
    assert case_figures(organisation).total == 1


def test_persons_by_status_over_time_follow_the_dated_history(organisation, petition):
    first = _person(organisation, petition)  # detained since 2020-12-13
    _person(organisation, petition, status="whereabouts_unknown")
    record_status(first, RELEASED)
    record_status(first, StatusReport("repatriated", date(2021, 1, 6), "official",
                                      source_reference="Ministry statement"))
    db.session.commit()
    series = status_series(organisation)
    assert [point.day for point in series] == [date(2020, 12, 13), date(2021, 1, 5),
                                              date(2021, 1, 6)]
    assert series[0].counts["detained"] == 1 and series[0].counts["whereabouts_unknown"] == 1
    assert series[1].counts["detained"] == 0 and series[1].counts["released"] == 1
    assert series[2].counts == {"detained": 0, "whereabouts_unknown": 1, "released": 0,
                                "repatriated": 1, "deceased": 0, "remains_returned": 0}
    private = _person(organisation, petition, visibility="private")
    db.session.commit()
    assert status_series(organisation, public=True)[-1].counts["detained"] == 0
    assert status_series(organisation)[-1].counts["detained"] == 1
    assert private.id


def test_erasing_a_person_removes_everything_unless_the_count_is_kept(organisation, petition):
    kept = _person(organisation, petition, name="Kept As Count", family_contact="+374 1")
    gone = _person(organisation, petition, name="Gone Entirely")
    _person(organisation, petition)
    record_status(kept, RELEASED)
    db.session.commit()
    kept_id, gone_id = kept.id, gone.id

    delete_person(kept, keep_count=True)
    delete_person(gone, keep_count=False)
    db.session.commit()

    assert db.session.get(PersonOfConcern, kept_id) is None
    assert db.session.scalar(db.select(db.func.count(StatusEvent.id)).where(
        StatusEvent.person_id.in_([kept_id, gone_id]))) == 0
    for public in (True, False):
        figures = case_figures(organisation, petition, public=public)
        assert figures.total == 2 and figures.by_status == {"detained": 1, "released": 1}
    assert case_figures(organisation).total == 2
    assert status_series(organisation)[-1].counts["released"] == 1
    # What stays is a count: category and last status, nothing that names the person.
    tombstones = db.session.scalars(db.select(CaseTombstone)).all()
    assert {t.petition_id for t in tombstones} == {None, petition.id}
    stored = repr([vars(t) for t in tombstones])
    assert "Kept" not in stored and "+374" not in stored


def test_an_erased_persons_name_is_gone_from_the_sqlite_files(organisation, petition):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL frees deleted rows at VACUUM")
    person = _person(organisation, petition, name="Erased Completely",
                     name_original="Ջնջված Ամբողջությամբ")
    db.session.commit()
    delete_person(person, keep_count=False)
    db.session.commit()
    db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    database = Path(db.engine.url.database)
    stored = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    assert b"Erased Completely" not in stored
    assert "Ջնջված".encode() not in stored


def test_the_petition_json_carries_cases_only_when_someone_counts_publicly(organisation,
                                                                          petition):
    assert petition_cases_json(petition) is None
    hidden = _person(organisation, petition, visibility="private")
    assert petition_cases_json(petition) is None
    update_person(hidden, {"visibility": "aggregate"})
    cases = petition_cases_json(petition)
    assert set(cases) == {"total", "by_category", "by_status", "still_detained", "updated_at"}
    assert cases["total"] == 1 and cases["updated_at"].endswith("+00:00")
