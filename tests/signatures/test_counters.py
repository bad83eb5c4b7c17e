"""Counting: confirmed signatures only, kept in sharded counters, reconciled on demand."""

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import event

from campaign.extensions import db
from campaign.signatures.counters import counts_by, signature_count
from campaign.signatures.models import CountDimension, Signature, SignatureCount, SignatureState
from campaign.types import utcnow
from tests import factories
from tests.conftest import sign


def _confirmed_signature(petition, n, country="FR", source=None):
    return factories.create_signature(petition, country=country, source=source)


def test_counts_by_country_day_and_source_follow_confirmations(app, petition):
    for n, (country, source) in enumerate([("FR", None), ("FR", "partner-a"), ("AM", None)]):
        _confirmed_signature(petition, n, country, source)
    db.session.commit()
    assert signature_count(petition.id) == 3
    assert counts_by(petition.id, CountDimension.COUNTRY) == {"FR": 2, "AM": 1}
    assert counts_by(petition.id, CountDimension.SOURCE) == {"": 2, "partner-a": 1}
    assert counts_by(petition.id, CountDimension.DAY) == {utcnow().date().isoformat(): 3}


def test_confirmations_spread_over_several_counter_rows(app, petition):
    for n in range(40):
        _confirmed_signature(petition, n)
    db.session.commit()
    shards = db.session.scalars(
        db.select(SignatureCount.shard).where(SignatureCount.dimension == "total")
    ).all()
    assert len(set(shards)) > 1, "every confirmation went to the same row"
    assert signature_count(petition.id) == 40


def test_reconcile_reports_and_corrects_drift(app, runner, petition):
    for n in range(3):
        _confirmed_signature(petition, n)
    # Drift made on purpose, as a manual edit of the database would: a counter that went
    # wrong, and a signature counted nowhere.
    first_fr_counter = db.session.scalar(
        db.select(db.func.min(SignatureCount.id)).where(SignatureCount.dimension == "country",
                                                        SignatureCount.key == "FR"))
    db.session.execute(db.update(SignatureCount).where(SignatureCount.id == first_fr_counter)
                       .values(count=SignatureCount.count + 5))
    db.session.add(Signature(petition=petition, full_name="Late", email="late@example.org",
                             email_normalised="late@example.org", country="AM",
                             state=SignatureState.CONFIRMED, confirmed_at=utcnow()))
    db.session.commit()

    check = runner.invoke(args=["counts", "reconcile", "--check"])
    assert check.exit_code == 1
    assert "country=FR recorded 8, actual 3" in check.output
    assert "country=AM recorded 0, actual 1" in check.output
    assert f"{petition.slug} total recorded 3, actual 4" in check.output

    fixed = runner.invoke(args=["counts", "reconcile"])
    assert fixed.exit_code == 0, fixed.output
    assert "counters corrected" in fixed.output
    db.session.rollback()
    assert signature_count(petition.id) == 4
    assert counts_by(petition.id, CountDimension.COUNTRY) == {"FR": 3, "AM": 1}

    again = runner.invoke(args=["counts", "reconcile", "--check"])
    assert again.exit_code == 0
    assert "0 counters drifted" in again.output


def test_reconcile_for_an_unknown_petition_says_so(runner, petition):
    result = runner.invoke(args=["counts", "reconcile", "--petition", "nope"])
    assert result.exit_code != 0
    assert "no petition has the slug 'nope'" in result.output


def test_no_page_counts_signatures_with_count_star(app, client, petition):
    for n in range(5):
        _confirmed_signature(petition, n)
    db.session.commit()
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        for path in ("/", f"/p/{petition.slug}", f"/p/{petition.slug}.json",
                     f"/p/{petition.slug}/thank-you"):
            assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    counting = [s for s in statements if "count(" in s and "from signatures" in s]
    assert counting == []
    assert any("signature_counts" in s for s in statements)


def test_the_page_shows_the_counter_figure(app, client, petition):
    for n in range(3):
        _confirmed_signature(petition, n)
    db.session.commit()
    assert client.get(f"/p/{petition.slug}.json").json["signature_count"] == 3
    assert b"<strong>3</strong>" in client.get(f"/p/{petition.slug}").data


def test_pending_signatures_are_not_counted(app, client, petition):
    sign(client, petition.slug)
    assert client.get(f"/p/{petition.slug}.json").json["signature_count"] == 0
    assert counts_by(petition.id, CountDimension.DAY) == {}


def test_a_day_is_the_utc_calendar_day(app, petition):
    late = datetime(2026, 1, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5))).astimezone(UTC)
    factories.create_signature(petition, when=late)
    assert counts_by(petition.id, CountDimension.DAY) == {"2026-02-01": 1}
