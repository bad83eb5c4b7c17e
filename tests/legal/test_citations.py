"""One citation formatter: the full title on first mention, the short form after."""

from campaign.legal.catalogue import catalogue
from campaign.legal.citations import Citations, full_citation, short_citation


def test_a_geneva_convention_article_is_cited_in_full_then_short():
    cat = catalogue()
    citations = Citations()
    assert citations.cite(cat.provision("gc3-art118")) == (
        "Geneva Convention (III) relative to the Treatment of Prisoners of War of "
        "12 August 1949, Art. 118")
    assert citations.cite(cat.provision("gc3-art5")) == "GC III, Art. 5"
    assert citations.cite(cat.provision("gc4-art132")).startswith(
        "Geneva Convention (IV) relative to the Protection of Civilian Persons in Time of War "
        "of 12 August 1949, Art. 132")


def test_a_paragraph_of_an_article_is_cited_with_its_pinpoint():
    provision = catalogue().provision("api-art85")
    assert full_citation(provision, "(4)(b)").endswith("(Protocol I) of 8 June 1977, Art. 85(4)(b)")
    assert short_citation(provision, "(4)(b)") == "AP I, Art. 85(4)(b)"


def test_customary_rules_and_the_rules_of_court_have_their_own_forms():
    cat = catalogue()
    assert full_citation(cat.provision("cihl-128")) == "Rule 128 of the ICRC Customary IHL Study"
    assert short_citation(cat.provision("cihl-128")) == "CIHL Rule 128"
    assert short_citation(cat.provision("ecthr-rule39")) == "Rule 39 of the Rules of Court"
    assert full_citation(cat.provision("ecthr-rule39")).startswith("Rule 39 of the Rules of Court")


def test_human_rights_treaties_carry_their_date():
    cat = catalogue()
    assert full_citation(cat.provision("echr-art3")).endswith(
        "Fundamental Freedoms of 4 November 1950, Art. 3")
    assert full_citation(cat.provision("icpped-art24")).endswith("of 20 December 2006, Art. 24")
