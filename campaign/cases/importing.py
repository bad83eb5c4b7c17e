"""Lists of persons from CSV: every line read and checked first (the plan, which a preview
shows), then imported all together or not at all."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from campaign.accounts.models import Organisation, User
from campaign.cases import crypto
from campaign.cases.categories import categories
from campaign.cases.fields import (
    PRIVATE_FIELDS,
    CaseInvalid,
    StatusReport,
    clean_text,
    validate_fields,
    validate_status_report,
)
from campaign.cases.models import CaseStatus, DatePrecision, PersonOfConcern, SourceKind
from campaign.cases.services import audited, create_person, link_petition
from campaign.cases.vocabulary import parse_partial_date, status_from_text
from campaign.csvsafe import FORMULA_STARTS
from campaign.extensions import db
from campaign.petitions.models import Petition

REQUIRED_COLUMNS = ("name", "category", "status")
# Column -> field of the record, for the columns that are one field each.
FIELD_COLUMNS = {
    "name": "name", "name_original": "name_original", "father_name": "father_name",
    "sex": "sex", "nationality": "nationality", "category": "category",
    "place": "capture_place", "holding_authority": "holding_authority",
    "place_of_detention": "place_of_detention", "holding_state": "holding_state",
    "legal_basis": "legal_basis", "service_number": "service_number",
    "icrc_reference": "icrc_reference",
    "ecthr_application": "ecthr_application_no", "wgeid_case": "wgeid_case_no",
    "representative_name": "representative_name",
    "representative_authority": "representative_authority",
    "visibility": "visibility", "consent_by": "public_consent_by",
    "consent_date": "public_consent_on", "family_contact": "family_contact", "notes": "notes",
}
OTHER_COLUMNS = ("status", "status_date", "date", "birth", "source_url", "source",
                 "source_reference", "reliability")
COLUMNS = (*FIELD_COLUMNS, *OTHER_COLUMNS)
# Field of the record -> the column a problem with it is reported under.
COLUMN_OF = {name: column for column, name in FIELD_COLUMNS.items()} | {
    "birth_date": "birth", "birth_year": "birth", "captured_on": "date",
    "captured_on_precision": "date",
}
MAX_LINES = 20_000
# Statuses that begin when the person is captured or disappears.
STARTS_AT_CAPTURE = (CaseStatus.DETAINED, CaseStatus.WHEREABOUTS_UNKNOWN)


@dataclass
class ImportLine:
    number: int
    name: str
    fields: dict[str, Any] = field(default_factory=dict)
    status: StatusReport | None = None
    errors: list[str] = field(default_factory=list)
    existing: PersonOfConcern | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPlan:
    """What an import would do, line by line; `valid` only if every line is."""

    organisation: Organisation
    lines: list[ImportLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems and bool(self.lines) and all(line.ok for line in self.lines)

    @property
    def new_lines(self) -> list[ImportLine]:
        return [line for line in self.lines if line.ok and line.existing is None]

    @property
    def known_lines(self) -> list[ImportLine]:
        return [line for line in self.lines if line.ok and line.existing is not None]

    @property
    def invalid_lines(self) -> list[ImportLine]:
        return [line for line in self.lines if not line.ok]


@dataclass
class ImportResult:
    created: list[PersonOfConcern]
    already_recorded: list[PersonOfConcern]
    linked: int


def _unescape(value: str) -> str:
    """Undo the apostrophe an export puts before a cell a spreadsheet would run as a formula."""
    if value.startswith("'") and value[1:2] and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def _rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str], bool]]]:
    """The header's column names and each line that is not empty: where it starts, its
    cells by column, and whether it has more cells than the header."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [clean_text(cell).casefold().replace(" ", "_") for cell in next(reader, [])]
    rows = []
    line_number = reader.line_num
    for cells in reader:
        start, line_number = line_number + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        values = {column: _unescape(clean_text(cell))
                  for column, cell in zip(header, cells, strict=False)}
        values[""] = "".join(cell.strip() for column, cell in zip(header, cells, strict=False)
                             if not column)
        rows.append((start, values, len(cells) > len(header)))
    return header, rows


def plan_import(organisation: Organisation, data: bytes | str, *,
                source_name: str = "imported list", today: date | None = None) -> ImportPlan:
    """Read and check a CSV list (UTF-8, with or without a byte-order mark, any script);
    nothing is written. `source_name` names the list in the history of lines without a
    source of their own."""
    plan = ImportPlan(organisation)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            plan.problems.append(_(
                "The file is not UTF-8 text (byte %(position)d): save it as \"CSV UTF-8\".",
                position=error.start + 1))
            return plan
    data = data.lstrip("\ufeff")
    try:
        header, rows = _rows(data)
    except csv.Error as error:
        plan.problems.append(_("The file is not readable as CSV: %(error)s", error=str(error)))
        return plan
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    # Spreadsheets often add empty columns without a name: harmless while they stay empty.
    named = [column for column in header if column]
    unknown = [column for column in named if column not in COLUMNS]
    if missing:
        plan.problems.append(_("Columns missing: %(columns)s.", columns=", ".join(missing)))
    if unknown:
        plan.problems.append(_("Unknown columns: %(unknown)s (the columns are %(known)s).",
                               unknown=", ".join(unknown), known=", ".join(COLUMNS)))
    if any(values.get("") for _number, values, _extra in rows):
        plan.problems.append(_("A column without a name in the header holds values."))
    if len(set(named)) != len(named):
        plan.problems.append(_("A column appears twice."))
    if not rows and not plan.problems:
        plan.problems.append(_("The file has no lines after the header."))
    if len(rows) > MAX_LINES:
        plan.problems.append(_("At most %(limit)d lines at once.", limit=MAX_LINES))
    if plan.problems:
        return plan
    categories(organisation)  # seeds the standard categories before lines are matched
    existing = _existing_persons(organisation)
    seen: dict[tuple, int] = {}
    for number, values, overflowing in rows:
        line = _plan_line(organisation, number, values, source_name, today or date.today())
        if overflowing:
            line.errors.insert(0, _("More cells than columns."))
        if line.ok:
            key = _identity(line.fields.get("name"), line.fields.get("name_original"),
                            line.fields.get("birth_year"), line.fields["category"].id)
            if key in seen:
                line.errors.append(_("The same person as line %(line)d.", line=seen[key]))
            seen.setdefault(key, number)
            line.existing = _match(existing, key)
        plan.lines.append(line)
    return plan


def _plan_line(organisation: Organisation, number: int, values: dict[str, str],
               source_name: str, today: date) -> ImportLine:
    line = ImportLine(number, values.get("name", ""))
    fields = {FIELD_COLUMNS[c]: v for c, v in values.items() if c in FIELD_COLUMNS and v}
    birth = values.get("birth", "")
    if birth:
        parsed = parse_partial_date(birth)
        if parsed is None:
            line.errors.append(_("birth: %(value)s is not a year or a date.", value=birth))
        elif parsed[1] is DatePrecision.DAY:
            fields["birth_date"] = parsed[0]
        else:
            fields["birth_year"] = parsed[0].year
    captured = _partial_date(line, "date", values.get("date", ""))
    if captured:
        fields["captured_on"], fields["captured_on_precision"] = captured
    if not crypto.has_key() and any(fields.get(name) for name in PRIVATE_FIELDS):
        line.errors.append(_("family_contact and notes are stored encrypted, and no "
                             "CASES_ENCRYPTION_KEY is configured: leave them empty."))
        for name in PRIVATE_FIELDS:
            fields.pop(name, None)
    line.fields, errors = validate_fields(organisation, fields, today=today)
    line.errors += [f"{COLUMN_OF.get(name, name)}: {message}" for name, message in errors.items()]
    line.status = _status_report(line, values, captured, source_name, today)
    return line


def _partial_date(line: ImportLine, column: str, text: str):
    if not text:
        return None
    parsed = parse_partial_date(text)
    if parsed is None:
        line.errors.append(_("%(column)s: %(value)s is not a date (2020-12-13, 13.12.2020, "
                             "2020-12 or 2020).", column=column, value=text))
    return parsed


def _status_report(line: ImportLine, values: dict[str, str], captured, source_name: str,
                   today: date) -> StatusReport | None:
    status = status_from_text(values.get("status", ""))
    when = _partial_date(line, "status_date", values.get("status_date", ""))
    if when is None and captured and status in STARTS_AT_CAPTURE:
        when = captured
    occurred_on, precision = when or (today, DatePrecision.DAY)
    url = values.get("source_url") or None
    reference = values.get("source_reference", "")
    if not url and not reference:
        reference = _("%(list)s, line %(line)d", list=source_name, line=line.number)
    report = StatusReport(
        status=status or values.get("status", ""), occurred_on=occurred_on,
        precision=precision, source_url=url, source_reference=reference,
        source_kind=values.get("source") or (SourceKind.URL if url else SourceKind.DOCUMENT),
        reliability=values.get("reliability") or "unconfirmed",
    )
    report, errors = validate_status_report(report, today=today)
    column = {"occurred_on": "status_date", "source_kind": "source", "precision": "status_date"}
    line.errors += [f"{column.get(name, name)}: {message}" for name, message in errors.items()]
    return None if errors else report


def _identity(name, name_original, birth_year, category_id) -> tuple:
    return (clean_text(name).casefold(), clean_text(name_original).casefold(), birth_year,
            category_id)


def _existing_persons(organisation: Organisation) -> dict[tuple, list[PersonOfConcern]]:
    found: dict[tuple, list[PersonOfConcern]] = {}
    for person in db.session.scalars(db.select(PersonOfConcern).where(
            PersonOfConcern.organisation_id == organisation.id)):
        key = _identity(person.name, "", None, person.category_id)
        found.setdefault(key, []).append(person)
    return found


def _match(existing: dict[tuple, list[PersonOfConcern]], key: tuple) -> PersonOfConcern | None:
    """The recorded person a line describes: same Latin name and category, and the same
    original name and year of birth wherever both sides give them."""
    name, original, birth_year, category_id = key
    for person in existing.get((name, "", None, category_id), []):
        if original and person.name_original and person.name_original.casefold() != original:
            continue
        if birth_year and person.birth_year and person.birth_year != birth_year:
            continue
        return person
    return None


def apply_import(plan: ImportPlan, *, petition: Petition | None = None,
                 user: User | None = None) -> ImportResult:
    """Record every new person of a valid plan (and link all its persons to `petition`);
    a plan with any invalid line imports nothing."""
    if not plan.valid:
        raise CaseInvalid({"file": _("The list has problems: nothing was imported.")})
    created = [create_person(plan.organisation, line.fields, line.status, user=user)
               for line in plan.new_lines]
    known = [line.existing for line in plan.known_lines]
    linked = 0
    if petition is not None:
        linked = sum(link_petition(person, petition) for person in [*created, *known])
    audited(plan.organisation, "case.imported", user, created=len(created),
            already_recorded=len(known), petition=petition.slug if petition else None)
    return ImportResult(created, known, linked)
