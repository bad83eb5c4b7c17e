"""One citation formatter for every renderer: the full title on first mention, with the
abbreviation defined there, and the short form after it, in the letter's language and as the
addressee body writes it (the European Court of Human Rights cites "Article 2 of the
Convention")."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from campaign.legal.bodies import Body
from campaign.legal.catalogue import Instrument, Provision, catalogue

LANGUAGES = ("en", "fr", "ru")

# The word before the number, by kind of instrument (French Rules of Court number "articles").
_WORDS = {
    "en": {"customary-rules": "Rule", "rules-of-procedure": "Rule", "agreement": "point"},
    "fr": {"customary-rules": "règle", "rules-of-procedure": "article", "agreement": "point"},
    "ru": {"customary-rules": "норма", "rules-of-procedure": "правило", "agreement": "пункт"},
}
_ARTICLE = {"en": "Article", "fr": "article", "ru": "статья"}
_COMMON = {
    "en": ("Article {n} common to the four Geneva Conventions of 12 August 1949",
           "common Article {n}"),
    "fr": ("article {n} commun aux quatre Conventions de Genève du 12 août 1949",
           "article {n} commun"),
    "ru": ("статья {n}, общая для четырех Женевских конвенций от 12 августа 1949 года",
           "общая статья {n}"),
}
_FRENCH_LINKS = ("de la ", "de l'", "du ", "des ")


# -- the forms letters used before citations took a language (kept as the default) ----------

def _long_date(iso: str | None) -> str:
    if not iso:
        return ""
    day = date.fromisoformat(iso[:10])
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _with_date(full_name: str, adopted: str | None) -> str:
    """"... of 12 August 1949", unless the title already carries its date."""
    when = _long_date(adopted)
    if not when or when in full_name:
        return full_name
    return f"{full_name} of {when}"


def _legacy_full(provision: Provision, pinpoint: str) -> str:
    instrument = provision.instrument
    number = f"{provision.number}{pinpoint}"
    if instrument.kind == "customary-rules":
        return f"Rule {number} of the ICRC Customary IHL Study"
    if instrument.kind == "rules-of-procedure":
        return f"Rule {number} of the Rules of Court of the European Court of Human Rights"
    if instrument.kind == "resolution":
        title = provision.heading
        named = title and title.casefold() not in number.casefold()
        return f"{instrument.full_name} {number}" + (f", \u201c{title}\u201d" if named else "")
    if instrument.kind == "agreement":
        return f"{_with_date(instrument.full_name, instrument.adopted)}, point {number}"
    return f"{_with_date(instrument.full_name, instrument.adopted)}, Art. {number}"


def _legacy_short(provision: Provision, pinpoint: str) -> str:
    instrument = provision.instrument
    number = f"{provision.number}{pinpoint}"
    if instrument.kind == "customary-rules":
        return f"CIHL Rule {number}"
    if instrument.kind == "rules-of-procedure":
        return f"Rule {number} of the Rules of Court"
    if instrument.kind == "resolution":
        return f"{instrument.short_name} {number}"
    if instrument.kind == "agreement":
        return f"{instrument.short_name}, point {number}"
    return f"{instrument.short_name}, Art. {number}"


# -- citations in a language, as practitioners write them ------------------------------------

def _dated(instrument: Instrument, language: str) -> str:
    """" of 12 August 1949" / " du 12 août 1949" / " от 12 августа 1949 года"."""
    if not instrument.adopted:
        return ""
    when = date.fromisoformat(instrument.adopted[:10])
    spelled = format_date(when, "d MMMM y", locale=language)
    if spelled in instrument.title(language) or (language == "en" and
                                                 _long_date(instrument.adopted) in
                                                 instrument.full_name):
        return ""
    return {"en": f" of {spelled}", "fr": f" du {spelled}", "ru": f" от {spelled} года"}[language]


def _of_title(instrument: Instrument, language: str) -> str:
    if language == "en":
        return f"of the {instrument.full_name}"
    return instrument.after_article[language]


def _of_short(instrument: Instrument, language: str) -> str:
    if language in instrument.short_after_article:
        return instrument.short_after_article[language]
    abbreviation = instrument.abbreviation(language)
    if language == "fr":
        link = next((w for w in _FRENCH_LINKS if instrument.after_article["fr"].startswith(w)),
                    "de ")
        return f"{link}{abbreviation}"
    return abbreviation


def _word(instrument: Instrument, language: str) -> str:
    return _WORDS[language].get(instrument.kind, _ARTICLE[language])


def _resolution(provision: Provision, language: str, full: bool) -> str:
    instrument = provision.instrument
    if language == "en":
        text = f"{instrument.full_name if full else instrument.short_name} {provision.number}"
    else:
        word, _space, issuer = instrument.title(language).partition(" ")
        text = f"{word} {provision.number}" + (f" {issuer}" if full else "")
    return f"{text}, {provision.symbol}" if full and provision.symbol else text


def _home(provision: Provision, body: Body | str | None) -> bool:
    if body is None:
        return False
    if isinstance(body, str):
        body = catalogue().bodies.get(body)
    return body is not None and provision.instrument.id in body.home_instruments


def _cite(provision: Provision, pinpoint: str, language: str, body, inline: bool,
          full: bool) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"no citation forms for the language {language!r} "
                         f"(choose one of {', '.join(LANGUAGES)})")
    instrument = provision.instrument
    number = f"{provision.number}{pinpoint}"
    if instrument.kind == "resolution":
        text = _resolution(provision, language, full)
    elif provision.common_article:
        text = _COMMON[language][0 if full else 1].format(n=number)
    elif _home(provision, body) and language in instrument.home_name:
        text = f"{_word(instrument, language)} {number} {instrument.home_name[language]}"
    elif full:
        text = f"{_word(instrument, language)} {number} {_of_title(instrument, language)}"
        text += _dated(instrument, language)
        if instrument.symbol and instrument.kind == "declaration":
            text += f", {instrument.symbol}"
        if language not in instrument.short_after_article:
            text += f" ({instrument.abbreviation(language)})"
    else:
        text = f"{_word(instrument, language)} {number} {_of_short(instrument, language)}"
    return text if inline else text[:1].upper() + text[1:]


def full_citation(provision: Provision, pinpoint: str = "", *, language: str | None = None,
                  body: Body | str | None = None, inline: bool = False) -> str:
    """The first mention. Without a language, the English footnote form letters have used
    so far; with one, the title in that language with its abbreviation defined."""
    if language is None:
        return _legacy_full(provision, pinpoint)
    return _cite(provision, pinpoint, language, body, inline, full=True)


def short_citation(provision: Provision, pinpoint: str = "", *, language: str | None = None,
                   body: Body | str | None = None, inline: bool = False) -> str:
    """Every later mention, by the abbreviation the first one defined."""
    if language is None:
        return _legacy_short(provision, pinpoint)
    return _cite(provision, pinpoint, language, body, inline, full=False)


class Citations:
    """Cites provisions in reading order: the first mention of an instrument in full, every
    later one in short form. `language` and `body` are the letter's; `inline` gives the form
    for running text (lower-case "article" in French and Russian) instead of a footnote's."""

    def __init__(self, language: str | None = None, body: Body | str | None = None, *,
                 inline: bool = False) -> None:
        if language is not None and language not in LANGUAGES:
            raise ValueError(f"no citation forms for the language {language!r} "
                             f"(choose one of {', '.join(LANGUAGES)})")
        self.language = language
        self.body = body
        self.inline = inline
        self._seen: set[str] = set()

    def cite(self, provision: Provision, pinpoint: str = "") -> str:
        options = {"language": self.language, "body": self.body, "inline": self.inline}
        # Common Article 3 names the four Conventions, not GC III: it defines no abbreviation.
        key = "common" if provision.common_article else provision.instrument.id
        if key in self._seen:
            return short_citation(provision, pinpoint, **options)
        self._seen.add(key)
        return full_citation(provision, pinpoint, **options)
