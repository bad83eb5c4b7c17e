"""The catalogue a practitioner needs: every entry citable with its text's address, the added
instruments and provisions, both states' participation, and the corrected entries."""

import copy
from datetime import date

import pytest

from campaign.legal.catalogue import CatalogueError, catalogue
from campaign.legal.citations import LANGUAGES, Citations, full_citation, short_citation
from campaign.legal.validation import at_depositary, is_url
from tests.legal.test_catalogue import _build, _raw

ADDED = ["gc4-art4", "gc4-art143", "gc3-art85", "gc3-art119", "gc3-art123", "gc4-art140",
         "api-art45", "cihl-112", "cihl-113", "cihl-114", "cihl-115", "cihl-116", "cihl-117",
         "cihl-156", "echr-art1", "echr-art15", "echr-art33", "echr-art34", "echr-art46",
         "apii-art4", "rome-art12", "iccpr-op1-art1", "cat-art22", "icpped-art31",
         "opcat-art4", "ecpt-art2", "decl1992-art7"]


def test_every_provision_has_the_address_of_its_text_and_cites_in_every_language():
    for provision in catalogue().provisions.values():
        assert is_url(provision.url), provision.id
        for language in LANGUAGES:
            full = full_citation(provision, language=language)
            short = short_citation(provision, language=language)
            assert provision.number.split()[0] in full and full != short, provision.id


def test_every_verified_entry_says_when_it_was_checked_and_every_treaty_names_its_depositary():
    cat = catalogue()
    for provision in cat.provisions.values():
        assert not provision.verified or provision.verified_on <= date.today()
    for instrument in cat.instruments.values():
        assert not instrument.verified or instrument.verified_on is not None
        if instrument.kind != "agreement":
            assert at_depositary(instrument.depositary), instrument.id


def test_the_provisions_a_practitioner_asked_for_are_in_the_catalogue_and_citable():
    cat = catalogue()
    for pid in ADDED:
        assert Citations(language="en").cite(cat.provision(pid))


@pytest.mark.parametrize(("treaty", "armenia", "azerbaijan"), [
    ("additional_protocol_II", True, False), ("rome_statute", True, False),
    ("iccpr_op1", True, True), ("opcat", True, True), ("ecpt", True, True),
    ("icpped", True, False), ("cat", True, True),
])
def test_both_states_participation_is_recorded(treaty, armenia, azerbaijan):
    states = catalogue().states
    assert states["AM"].treaties[treaty].party is armenia
    assert states["AZ"].treaties[treaty].party is azerbaijan


def test_declarations_that_open_a_procedure_are_recorded_with_their_certainty():
    cat = catalogue()
    acceptance = cat.declaration("AM", "rome_statute", "12(3)")
    assert acceptance.made and acceptance.date == date(2021, 5, 10)
    assert cat.declaration("AZ", "cat", "22").made is True
    assert cat.declaration("AZ", "cat", "22").verified is False
    assert cat.declaration("AM", "icpped", "31").caveat
    assert cat.declaration("AZ", "icpped", "31") is None


def test_the_corrected_entries_say_what_the_texts_say():
    cat = catalogue()
    assert "without delay" in cat.provision("gc3-art118").summary
    assert "belligerent act" in cat.provision("gc3-art5").summary
    assert "competent tribunal" in cat.provision("gc3-art5").summary
    assert "imperative military necessity" in cat.provision("gc3-art126").summary
    rule = cat.provision("cihl-128").summary
    assert "non-international" in rule and "criminal proceedings" in rule
    assert ("\u201cprisoners of war, hostages and other detained persons\u201d"
            in cat.provision("trilateral-statement-2020").summary)
    for provision in cat.provisions.values():
        if provision.instrument.kind == "resolution":
            assert provision.symbol, provision.id
    assert cat.provision("unsc-2474").symbol == "S/RES/2474 (2019)"


def test_a_verified_entry_without_its_date_or_a_treaty_without_a_depositary_is_refused():
    raw = _raw()
    raw["provisions"]["provisions"][0].pop("verified_on")
    with pytest.raises(CatalogueError, match="gc3-art3: a verified entry needs the day"):
        _build(raw)
    raw = _raw()
    raw["instruments"]["instruments"]["gc3"]["depositary"] = "https://example.org/gc3"
    with pytest.raises(CatalogueError, match="instrument gc3: needs its depositary"):
        _build(raw)
    raw = _raw()
    raw["provisions"]["provisions"][0]["url"] = None
    with pytest.raises(CatalogueError, match="needs the address of its text"):
        _build(raw)
    raw = _raw()
    unsc = next(p for p in raw["provisions"]["provisions"] if p["id"] == "unsc-2474")
    unsc.pop("symbol")
    with pytest.raises(CatalogueError, match="a resolution needs its document symbol"):
        _build(raw)


def test_an_instrument_without_its_french_title_is_refused():
    raw = copy.deepcopy(_raw())
    del raw["instruments"]["instruments"]["cat"]["titles"]["fr"]
    with pytest.raises(CatalogueError, match="instrument cat: needs its fr title"):
        _build(raw)
