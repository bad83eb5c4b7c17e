"""Countries: the ISO 3166-1 codes signers choose from, named in the reader's language."""

from __future__ import annotations

from functools import cache

import pycountry
from babel import Locale
from flask_babel import get_locale

# Kosovo has no ISO 3166-1 code yet; XK is the user-assigned code in common use.
EXTRA_CODES = {"XK": "Kosovo"}


@cache
def country_codes() -> frozenset[str]:
    return frozenset({country.alpha_2 for country in pycountry.countries} | set(EXTRA_CODES))


def is_country_code(code: str) -> bool:
    return code in country_codes()


def _locale() -> Locale:
    try:
        return get_locale() or Locale("en")
    except RuntimeError:  # outside a request
        return Locale("en")


def country_name(code: str | None) -> str:
    if not code:
        return ""
    locale = _locale()
    name = locale.territories.get(code)
    if name:
        return name
    if code in EXTRA_CODES:
        return EXTRA_CODES[code]
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


def country_choices() -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name in the reader's language."""
    return sorted(((code, country_name(code)) for code in country_codes()),
                  key=lambda pair: pair[1].casefold())
