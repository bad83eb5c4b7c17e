"""One citation formatter for every renderer: the full title on first mention, the short form
after it."""

from __future__ import annotations

from datetime import date

from campaign.legal.catalogue import Provision


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


def full_citation(provision: Provision, pinpoint: str = "") -> str:
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


def short_citation(provision: Provision, pinpoint: str = "") -> str:
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


class Citations:
    """Cites provisions in reading order: the first mention of an instrument in full, every
    later one in short form."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def cite(self, provision: Provision, pinpoint: str = "") -> str:
        key = provision.instrument.id
        if key in self._seen:
            return short_citation(provision, pinpoint)
        self._seen.add(key)
        return full_citation(provision, pinpoint)
