"""One citation formatter: the full title on first mention, the short form after."""

import pytest

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


def test_the_first_mention_defines_the_abbreviation_and_later_ones_use_it():
    cat = catalogue()
    citations = Citations(language="en")
    assert citations.cite(cat.provision("gc3-art118")) == (
        "Article 118 of the Geneva Convention (III) relative to the Treatment of Prisoners of "
        "War of 12 August 1949 (GC III)")
    assert citations.cite(cat.provision("gc3-art5")) == "Article 5 GC III"
    assert citations.cite(cat.provision("api-art85"), "(4)(b)").endswith(
        "(Protocol I) of 8 June 1977 (AP I)")
    assert citations.cite(cat.provision("api-art85"), "(4)(b)") == "Article 85(4)(b) AP I"


def test_common_article_3_is_cited_as_common_to_the_four_conventions():
    citations = Citations(language="en")
    article = catalogue().provision("gc3-art3")
    assert citations.cite(article) == (
        "Article 3 common to the four Geneva Conventions of 12 August 1949")
    assert citations.cite(article) == "Common Article 3"
    # Common Article 3 does not define GC III: the next GC III article is cited in full.
    assert citations.cite(catalogue().provision("gc3-art118")).endswith("(GC III)")


def test_a_letter_to_the_court_cites_the_convention_and_its_rules_as_the_court_does():
    cat = catalogue()
    to_court = Citations(language="en", body="ecthr")
    assert to_court.cite(cat.provision("echr-art2")) == "Article 2 of the Convention"
    assert to_court.cite(cat.provision("ecthr-rule39")) == "Rule 39 of the Rules of Court"
    elsewhere = Citations(language="en", body="un-high-commissioner")
    assert elsewhere.cite(cat.provision("echr-art2")).startswith(
        "Article 2 of the Convention for the Protection of Human Rights")


def test_french_citations_use_the_official_french_titles():
    cat = catalogue()
    inline = Citations(language="fr", inline=True)
    assert inline.cite(cat.provision("gc3-art118")) == (
        "article 118 de la Convention (III) de Genève relative au traitement des prisonniers de "
        "guerre du 12 août 1949 (CG III)")
    assert inline.cite(cat.provision("gc3-art5")) == "article 5 de la CG III"
    assert full_citation(cat.provision("ecthr-rule39"), language="fr", body="ecthr",
                         inline=True) == "article 39 du règlement de la Cour"
    assert full_citation(cat.provision("echr-art2"), language="fr", body="ecthr") == (
        "Article 2 de la Convention")
    assert full_citation(cat.provision("gc3-art3"), language="fr", inline=True) == (
        "article 3 commun aux quatre Conventions de Genève du 12 août 1949")


def test_russian_citations_decline_the_title_and_spell_the_date():
    cat = catalogue()
    assert full_citation(cat.provision("gc3-art118"), language="ru") == (
        "Статья 118 Женевской конвенции об обращении с военнопленными от 12 августа 1949 года "
        "(ЖК III)")
    assert short_citation(cat.provision("gc3-art118"), language="ru") == "Статья 118 ЖК III"
    assert full_citation(cat.provision("echr-art3"), language="ru", body="ecthr") == (
        "Статья 3 Конвенции")


def test_resolutions_carry_their_symbol_and_the_statement_its_own_title():
    cat = catalogue()
    assert full_citation(cat.provision("unsc-2474"), language="en") == (
        "United Nations Security Council resolution 2474 (2019), S/RES/2474 (2019)")
    assert "S/RES/2474 (2019)" in full_citation(cat.provision("unsc-2474"), language="fr")
    assert full_citation(cat.provision("trilateral-statement-2020"), language="ru").startswith(
        "Пункт 8 Заявления Президента Азербайджанской Республики")


def test_an_unknown_letter_language_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="choose one of en, fr, ru"):
        Citations(language="de")
