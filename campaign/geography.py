"""Countries: the ISO 3166-1 codes signers choose from, named in the reader's language."""

from __future__ import annotations

from functools import cache

import pycountry
from babel import Locale
from flask_babel import get_locale
from markupsafe import Markup, escape

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


@cache
def _options_html(locale_name: str, placeholder: str) -> str:
    options = [f'<option value="">{escape(placeholder)}</option>']
    options += [f'<option value="{code}">{escape(name)}</option>'
                for code, name in country_choices()]
    return "".join(options)


def country_options(selected: str | None, placeholder: str) -> Markup:
    """The <option> elements of the country list, built once per language: rendering 250
    options through a form library on every petition page would dominate its cost."""
    html = _options_html(str(_locale()), str(placeholder))
    if selected and is_country_code(selected):
        html = html.replace(f'<option value="{selected}">',
                            f'<option selected value="{selected}">', 1)
    return Markup(html)  # noqa: S704 (built from escaped names and validated codes)
