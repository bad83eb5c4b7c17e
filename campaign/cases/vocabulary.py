"""The registry's words: labels of statuses and categories, how a list's own spelling of them is
recognised, and dates known only to the month or the year."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from campaign.cases.models import (
    CaseStatus,
    ConsentBy,
    DatePrecision,
    Reliability,
    Sex,
    SourceKind,
    Visibility,
)

STATUS_LABELS = {
    CaseStatus.DETAINED: _l("Detained"),
    CaseStatus.WHEREABOUTS_UNKNOWN: _l("Whereabouts unknown"),
    CaseStatus.RELEASED: _l("Released"),
    CaseStatus.REPATRIATED: _l("Repatriated"),
    CaseStatus.DECEASED: _l("Deceased"),
    CaseStatus.REMAINS_RETURNED: _l("Remains returned"),
}

# Other ways source lists write a status.
STATUS_ALIASES = {
    "missing": CaseStatus.WHEREABOUTS_UNKNOWN,
    "disappeared": CaseStatus.WHEREABOUTS_UNKNOWN,
    "fate unknown": CaseStatus.WHEREABOUTS_UNKNOWN,
    "held": CaseStatus.DETAINED,
    "in detention": CaseStatus.DETAINED,
    "in custody": CaseStatus.DETAINED,
    "returned": CaseStatus.REPATRIATED,
    "dead": CaseStatus.DECEASED,
    "killed": CaseStatus.DECEASED,
    "remains handed over": CaseStatus.REMAINS_RETURNED,
}

# The categories every organisation starts with (code, label); it may add its own.
STANDARD_CATEGORIES = (
    ("prisoner_of_war", _l("Prisoner of war")),
    ("detained_civilian", _l("Detained civilian")),
    ("hostage", _l("Hostage")),
    ("missing", _l("Missing")),
)

VISIBILITY_LABELS = {
    Visibility.PRIVATE: _l("Private: counted only in the organisation's own figures"),
    Visibility.AGGREGATE: _l("Aggregate: counted in public figures, never named"),
    Visibility.PUBLIC: _l("Public: named, with recorded consent"),
}
SEX_LABELS = {Sex.FEMALE: _l("Female"), Sex.MALE: _l("Male"), Sex.UNKNOWN: _l("Unknown")}
CONSENT_LABELS = {ConsentBy.PERSON: _l("The person"), ConsentBy.FAMILY: _l("The family")}
SOURCE_LABELS = {
    SourceKind.URL: _l("Published source (address)"),
    SourceKind.DOCUMENT: _l("Document"),
    SourceKind.ICRC: _l("ICRC report"),
    SourceKind.FAMILY: _l("Family report"),
    SourceKind.OFFICIAL: _l("Official statement"),
    SourceKind.OTHER: _l("Other"),
}
RELIABILITY_LABELS = {
    Reliability.CONFIRMED: _l("Confirmed"),
    Reliability.CREDIBLE: _l("Credible, corroborated"),
    Reliability.UNCONFIRMED: _l("Unconfirmed"),
}


def spelling_key(text: str) -> str:
    """What two spellings of one term share: case, accents' composition, spacing, underscores
    and a plural 's' on each word do not matter ("Prisoners of war" = "prisoner_of_war")."""
    text = unicodedata.normalize("NFKC", text).casefold()
    words = re.split(r"[\s_\-]+", text.strip())
    return " ".join(word[:-1] if len(word) > 3 and word.endswith("s") else word
                    for word in words if word)


def _status_spellings() -> dict[str, CaseStatus]:
    spellings = {spelling_key(alias): status for alias, status in STATUS_ALIASES.items()}
    for status in CaseStatus:
        spellings[spelling_key(status.value)] = status
        spellings[spelling_key(str(STATUS_LABELS[status]))] = status
    return spellings


def status_from_text(text: str) -> CaseStatus | None:
    """The status a list means by `text` (a code, the label in any case, or a common synonym)."""
    return _status_spellings().get(spelling_key(text))


def enum_from_text(enum_class, text: str):
    """A member of a small enum written as its value in any case, or None."""
    key = spelling_key(text).replace(" ", "_")
    for member in enum_class:
        if spelling_key(member.value).replace(" ", "_") == key:
            return member
    return None


PARTIAL_DATE = re.compile(
    r"^(?:(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?"
    r"|(?:(?P<d>\d{1,2})\.)?(?P<m>\d{1,2})\.(?P<y>\d{4}))$"
)


def parse_partial_date(text: str) -> tuple[date, DatePrecision] | None:
    """A date as lists write it: 2020, 2020-12, 2020-12-13, 13.12.2020 or 12.2020; a month or a
    year is kept as its first day with its precision. None when `text` is not such a date."""
    match = PARTIAL_DATE.match(text.strip())
    if not match:
        return None
    year = match["year"] or match["y"]
    month = match["month"] or match["m"]
    day = match["day"] or match["d"]
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    try:
        return date(int(year), int(month or 1), int(day or 1)), precision
    except ValueError:
        return None


def partial_date_text(value: date | None, precision: DatePrecision | None) -> str:
    """The date as precisely as it is known, in ISO form (2020, 2020-12 or 2020-12-13)."""
    if value is None:
        return ""
    if precision is DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision is DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def format_partial_date(value: date | None, precision: DatePrecision | None) -> str:
    """The date for a reader, as precisely as it is known ("December 2020")."""
    if value is None:
        return ""
    if precision is DatePrecision.YEAR:
        return format_date(value, "y")
    if precision is DatePrecision.MONTH:
        return format_date(value, "MMMM y")
    return format_date(value, "long")
