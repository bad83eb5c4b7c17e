"""Contested readings: each party's reading of a provision, with who holds it and its source."""

import pytest

from campaign.legal.catalogue import CatalogueError, catalogue
from tests.legal.test_catalogue import _build, _raw


def test_a_provision_read_differently_lists_every_reading_with_its_holder_and_source():
    contests = catalogue().readings("gc3-art118")
    assert [c.id for c in contests] == ["captured-after-ceasefire"]
    readings = {r.id: r for r in contests[0].readings}
    assert set(readings) == {"prisoners-of-war", "arrested-after-hostilities"}
    assert "Armenia" in readings["prisoners-of-war"].holder
    assert "Azerbaijan" in readings["arrested-after-hostilities"].holder
    assert all(r.sources for r in readings.values())
    assert "Not settled" in contests[0].status


def test_rule_128s_exception_for_criminal_proceedings_is_on_the_record():
    ids = [c.id for c in catalogue().readings("cihl-128")]
    assert "prosecution-exception" in ids


def test_a_provision_nobody_disputes_has_no_readings_and_an_unknown_one_is_an_error():
    assert catalogue().readings("gc3-art17") == []
    with pytest.raises(KeyError, match="no provision"):
        catalogue().readings("gc3-art999")


@pytest.mark.parametrize(("breakage", "message"), [
    (lambda c: c["readings"].pop(), "at least two readings"),
    (lambda c: c["readings"][0].update(sources=[]), "needs the address of its source"),
    (lambda c: c["readings"][0].update(holder=""), "needs who holds it"),
    (lambda c: c.update(provisions=["gc3-art999"]), "unknown"),
])
def test_a_one_sided_or_unsourced_reading_is_refused(breakage, message):
    raw = _raw()
    breakage(raw["readings"]["contests"][0])
    with pytest.raises(CatalogueError, match=message):
        _build(raw)
