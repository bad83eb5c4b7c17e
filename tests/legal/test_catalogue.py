"""The legal catalogue: every entry valid, summaries in the project's own words, search,
and which states each instrument binds."""

import copy
import re
from pathlib import Path

import pytest
import yaml

from campaign.legal.catalogue import DATA, TAGS, CatalogueError, build_catalogue, catalogue

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "legal-provisions.yaml"


def _raw():
    return {name: yaml.safe_load((DATA / f"{name}.yaml").read_text())
            for name in ("instruments", "provisions", "bodies", "participation", "readings")}


def _build(raw):
    return build_catalogue(raw["instruments"], raw["provisions"], raw["bodies"],
                           raw["participation"], raw["readings"])


def test_every_entry_of_the_data_files_is_valid():
    cat = catalogue()
    assert len(cat.provisions) >= 60
    assert len(cat.bodies) >= 12
    for provision in cat.provisions.values():
        assert provision.summary
        assert set(provision.tags) <= set(TAGS)
        assert provision.sources or provision.caveat
        assert provision.url or not provision.verified
    for body in cat.bodies.values():
        assert body.address and body.salutation and body.requirements


@pytest.mark.parametrize(("breakage", "message"), [
    (lambda raw: raw["provisions"]["provisions"].append(
        copy.deepcopy(raw["provisions"]["provisions"][0])), "repeated id"),
    (lambda raw: raw["provisions"]["provisions"][0].update(instrument="gc9"),
     "unknown instrument"),
    (lambda raw: raw["provisions"]["provisions"][0].update(tags=["weather"]),
     "outside the vocabulary"),
    (lambda raw: raw["provisions"]["provisions"][0].update(sources=[]), "needs its sources"),
    (lambda raw: raw["provisions"]["provisions"][0].update(verified=False, caveat=None),
     "needs a caveat"),
    (lambda raw: raw["provisions"]["provisions"][0].update(summary=" "), "needs a summary"),
    (lambda raw: raw["bodies"]["bodies"][0]["requirements"][0].update(check="magic"),
     "unknown check"),
])
def test_a_broken_entry_is_refused_with_its_name(breakage, message):
    raw = _raw()
    breakage(raw)
    with pytest.raises(CatalogueError, match=message):
        _build(raw)


@pytest.mark.skipif(not REFERENCE.exists(), reason="the reference sheet is not beside the clone")
def test_no_summary_is_copied_from_the_reference_sheet():
    reference = yaml.safe_load(REFERENCE.read_text())["provisions"]

    def shingles(text, n=7):
        # Words quoted from the instrument itself (between quotation marks) are not copying.
        text = re.sub(r"\u201c[^\u201d]*\u201d", " ", text)
        words = re.findall(r"\w+", text.lower())
        return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}

    theirs = {p["id"]: shingles(p["summary"]) for p in reference}
    for provision in catalogue().provisions.values():
        shared = shingles(provision.summary) & theirs.get(provision.id, set())
        assert not shared, f"{provision.id} repeats the reference wording: {shared}"


def test_search_by_tag_instrument_and_words():
    cat = catalogue()
    repatriation = {p.id for p in cat.search(tags=("repatriation",))}
    assert {"gc3-art118", "gc4-art133", "cihl-128"} <= repatriation
    assert {p.id for p in cat.search(instrument="icpped")} == {
        "icpped-art1", "icpped-art2", "icpped-art24", "icpped-art30", "icpped-art31"}
    assert [p.id for p in cat.search(words="hostage", instrument="gc4")] == [
        "gc4-art34", "gc4-art147"]
    assert cat.search(words="zzzz-nothing") == []


def test_suggestions_put_provisions_sharing_most_framing_tags_first():
    suggested = [p.id for p in catalogue().suggest(("pow", "repatriation"))]
    assert suggested.index("gc3-art118") < suggested.index("gc3-art17")
    assert "echr-art6" not in suggested


def test_additional_protocol_i_binds_armenia_but_not_azerbaijan():
    cat = catalogue()
    protocol = cat.instruments["api"]
    assert cat.binding(protocol, "AM").status == "party"
    assert cat.binding(protocol, "AZ").status == "not-party"
    assert cat.binding(cat.instruments["gc3"], "AZ").binds is True
    assert cat.binding(cat.instruments["cihl"], "AZ").status == "custom"
    assert cat.binding(protocol, "FR").status == "unknown"


def test_an_unconfirmed_participation_carries_its_caveat():
    binding = catalogue().binding(catalogue().instruments["echr"], "AZ")
    assert binding.status == "party"
    assert binding.verified is False
    assert "treaty database" in binding.note


def test_every_customary_counterpart_is_a_customary_rule():
    cat = catalogue()
    assert [c for c in cat.provision("api-art85").customary_counterparts] == ["cihl-128",
                                                                                "cihl-99"]
    for provision in cat.provisions.values():
        for counterpart in provision.customary_counterparts:
            assert cat.provision(counterpart).instrument.kind == "customary-rules"
