"""What a person's record may hold: each field checked and converted from what a form, a CSV line
or the API sends, every problem collected with a message a person can act on."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _

from campaign.accounts.models import Organisation
from campaign.cases.categories import categories, category_from_text
from campaign.cases.models import (
    CaseCategory,
    CaseStatus,
    ConsentBy,
    DatePrecision,
    PersonOfConcern,
    Reliability,
    Sex,
    SourceKind,
    Visibility,
)
from campaign.cases.vocabulary import STATUS_LABELS, enum_from_text, status_from_text
from campaign.errors import CampaignError
from campaign.geography import is_country_code

# Stored only as Fernet tokens, in the column of the same name with `_encrypted`.
PRIVATE_FIELDS = ("family_contact", "notes", "search_steps", "representative_contact")
TEXT_LIMITS = {
    "name": 200, "name_original": 200, "father_name": 200, "capture_place": 300,
    "holding_authority": 300, "place_of_detention": 300, "icrc_reference": 100,
    "ecthr_application_no": 20, "wgeid_case_no": 50, "representative_name": 200,
    "representative_authority": 300, "legal_basis": 1000, "service_number": 50,
}
PRIVATE_LIMIT = 10_000
ENUM_FIELDS = {
    "sex": Sex, "visibility": Visibility, "public_consent_by": ConsentBy,
    "communication_consent_by": ConsentBy, "captured_on_precision": DatePrecision,
}
DATE_FIELDS = ("birth_date", "captured_on", "public_consent_on", "communication_consent_on")
FIELDS = frozenset({*TEXT_LIMITS, *ENUM_FIELDS, *DATE_FIELDS, *PRIVATE_FIELDS,
                    "birth_year", "nationality", "holding_state", "category"})
# An application to the European Court of Human Rights is numbered like 12345/21.
ECTHR_APPLICATION = re.compile(r"^\d{1,6}/\d{2}$")


class CaseInvalid(CampaignError):
    """A record or status report with problems; `errors` maps each field to its message."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()))


@dataclass(frozen=True)
class StatusReport:
    """A status as someone reported it: when it began, and where the information came from."""

    status: CaseStatus | str
    occurred_on: date
    source_kind: SourceKind | str
    reliability: Reliability | str = Reliability.UNCONFIRMED
    precision: DatePrecision | str = DatePrecision.DAY
    source_url: str | None = None
    source_reference: str = ""


def clean_text(value: Any) -> str:
    """Text as stored: composed Unicode (lists mix composed and decomposed Armenian and
    Azerbaijani letters), trimmed."""
    return unicodedata.normalize("NFC", "" if value is None else str(value)).strip()


def _enum(enum_class, value):
    if value is None or value == "":
        return None
    if isinstance(value, enum_class):
        return value
    member = enum_from_text(enum_class, str(value))
    if member is None:
        raise ValueError(_("\"%(value)s\" is not one of: %(choices)s.", value=value,
                           choices=", ".join(member.value for member in enum_class)))
    return member


def _date(value, today: date) -> date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(_("%(value)s is not a date (YYYY-MM-DD).", value=value)) from None
    if value > today:
        raise ValueError(_("The date %(value)s is in the future.", value=value.isoformat()))
    return value


def _one(name: str, value, organisation: Organisation, today: date):
    if name in TEXT_LIMITS or name in PRIVATE_FIELDS:
        text = clean_text(value)
        limit = TEXT_LIMITS.get(name, PRIVATE_LIMIT)
        if len(text) > limit:
            raise ValueError(_("At most %(limit)d characters.", limit=limit))
        if name == "ecthr_application_no" and text and not ECTHR_APPLICATION.match(text):
            raise ValueError(_("An ECtHR application number looks like 12345/21."))
        return text
    if name in ENUM_FIELDS:
        return _enum(ENUM_FIELDS[name], value)
    if name in DATE_FIELDS:
        return _date(value, today)
    if name == "birth_year":
        if value is None or value == "":
            return None
        try:
            year = int(str(value).strip())
        except ValueError:
            raise ValueError(_("A year of birth is four digits.")) from None
        if not 1900 <= year <= today.year:
            raise ValueError(_("A year of birth between 1900 and %(year)d.", year=today.year))
        return year
    if name in ("nationality", "holding_state"):
        code = clean_text(value).upper()
        if code and not is_country_code(code):
            raise ValueError(_("%(value)s is not an ISO 3166 country code (e.g. AM, AZ, FR).",
                               value=value))
        return code or None
    # category
    if isinstance(value, CaseCategory):
        if value.organisation_id != organisation.id:
            raise ValueError(_("Not one of this organisation's categories."))
        return value
    category = category_from_text(organisation, clean_text(value))
    if category is None:
        raise ValueError(_("\"%(value)s\" is not one of this organisation's categories "
                           "(%(choices)s).", value=value,
                           choices=", ".join(c.display_label for c in categories(organisation))))
    return category


def validate_fields(organisation: Organisation, values: Mapping[str, Any],
                    current: PersonOfConcern | None = None,
                    today: date | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """The converted values and the problems (field -> message) of a change set.

    Only the fields present change; the rules that tie fields together (public only with
    consent, consent with its date) are checked on the record as it would be after the change.
    """
    unknown = set(values) - FIELDS
    if unknown:
        raise TypeError(f"not fields of a person of concern: {sorted(unknown)}")
    today = today or date.today()
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in values.items():
        try:
            cleaned[name] = _one(name, value, organisation, today)
        except ValueError as error:
            errors[name] = str(error)

    def after(name):
        if name in cleaned:
            return cleaned[name]
        if name in errors:
            return None
        return getattr(current, name, None) if current is not None else None

    if cleaned.get("visibility", Visibility.PRIVATE) is None:
        cleaned["visibility"] = Visibility.PRIVATE  # private unless said otherwise
    if (current is None or "name" in values) and not after("name"):
        errors.setdefault("name", _("A name in Latin letters is needed."))
    if (current is None or "category" in values) and after("category") is None:
        errors.setdefault("category", _("A category is needed."))
    _check_consent(after, errors)
    birth_date, birth_year = after("birth_date"), after("birth_year")
    if birth_date and birth_year and birth_date.year != birth_year:
        errors.setdefault("birth_year", _("The year of birth differs from the date of birth."))
    if birth_date and "birth_year" not in cleaned:
        cleaned["birth_year"] = birth_date.year
    captured_on = after("captured_on")
    if captured_on and (birth_date or birth_year) and \
            captured_on.year < (birth_date.year if birth_date else birth_year):
        errors.setdefault("captured_on", _("The date of capture is before the birth."))
    if "captured_on" in cleaned and "captured_on_precision" not in cleaned:
        cleaned["captured_on_precision"] = DatePrecision.DAY if captured_on else None
    return cleaned, errors


def _check_consent(after, errors: dict[str, str]) -> None:
    if after("visibility") is Visibility.PUBLIC and not (
            after("public_consent_by") and after("public_consent_on")):
        errors.setdefault("visibility", _(
            "A name is shown publicly only with the recorded consent of the person or their "
            "family: give who consented and the date of that consent."))
    for field in ("public_consent", "communication_consent"):
        if bool(after(f"{field}_by")) != bool(after(f"{field}_on")):
            errors.setdefault(f"{field}_on", _("Record both who consented and on what date."))


def validate_status_report(report: StatusReport,
                           today: date | None = None) -> tuple[StatusReport, dict[str, str]]:
    """The report with its values converted, and its problems (field -> message)."""
    today = today or date.today()
    errors: dict[str, str] = {}
    status = report.status if isinstance(report.status, CaseStatus) else \
        status_from_text(str(report.status or ""))
    if status is None:
        errors["status"] = _("\"%(value)s\" is not a status (%(choices)s).",
                             value=report.status,
                             choices=", ".join(str(label) for label in STATUS_LABELS.values()))
    converted = {}
    for name, enum_class in (("source_kind", SourceKind), ("reliability", Reliability),
                             ("precision", DatePrecision)):
        try:
            converted[name] = _enum(enum_class, getattr(report, name))
        except ValueError as error:
            errors[name] = str(error)
    if "source_kind" not in errors and converted["source_kind"] is None:
        errors["source_kind"] = _("Say where the information comes from.")
    occurred_on = report.occurred_on
    if not isinstance(occurred_on, date):
        errors["occurred_on"] = _("The status needs the date it began.")
    elif occurred_on > today:
        errors["occurred_on"] = _("The date %(value)s is in the future.",
                                  value=occurred_on.isoformat())
    url = clean_text(report.source_url) or None
    if url and not _is_web_address(url):
        errors["source_url"] = _("%(value)s is not a web address (https://...).", value=url)
    elif url is None and converted.get("source_kind") is SourceKind.URL:
        errors["source_url"] = _("A published source needs its address.")
    reference = clean_text(report.source_reference)
    if len(reference) > 500:
        errors["source_reference"] = _("At most %(limit)d characters.", limit=500)
    if errors:
        return report, errors
    return StatusReport(
        status=status, occurred_on=occurred_on, source_kind=converted["source_kind"],
        reliability=converted["reliability"] or Reliability.UNCONFIRMED,
        precision=converted["precision"] or DatePrecision.DAY, source_url=url,
        source_reference=reference,
    ), {}


def _is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return len(url) <= 2000 and parts.scheme in ("http", "https") and bool(parts.netloc)
