"""The organiser's petition form, and the forms for outcomes and updates."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from campaign.formfields import CheckboxListField, options
from campaign.petitions.models import Outcome
from campaign.petitions.services import SLUG_PATTERN, ReferenceData

URL_PATTERN = re.compile(r"^https?://\S+$")
LANGUAGES = options([("en", "English"), ("fr", "Français"), ("de", "Deutsch"),
                     ("ru", "Русский"), ("hy", "Հայերեն"), ("az", "Azərbaycanca"),
                     ("es", "Español"), ("ar", "العربية")])


def parse_references(text: str) -> list[ReferenceData]:
    """One reference a line, as "Title | https://address" or just a title."""
    references = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        title, _bar, url = (part.strip() for part in line.partition("|"))
        if url and not URL_PATTERN.match(url):
            raise ValueError(str(_l("Reference %(n)s: the address must start with http:// or "
                                    "https://.", n=number)))
        if not title or len(title) > 500 or len(url) > 2000:
            raise ValueError(str(_l("Reference %(n)s needs a title of at most 500 characters.",
                                    n=number)))
        references.append(ReferenceData(title, url or None))
    return references


def parse_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PetitionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    slug = StringField(_l("Address (/p/...)"), validators=[Optional(), Length(max=80)],
                       description=_l("Lower-case letters, digits and hyphens."))
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=500)],
                            render_kw={"rows": 2})
    body_markdown = TextAreaField(_l("Text (Markdown)"), validators=[Optional(),
                                  Length(max=50_000)], render_kw={"rows": 14})
    demands = TextAreaField(_l("Demands, one a line"), validators=[Optional(),
                            Length(max=10_000)], render_kw={"rows": 4})
    references = TextAreaField(_l("References, one a line: Title | https://address"),
                               validators=[Optional(), Length(max=20_000)],
                               render_kw={"rows": 4})
    addressees = CheckboxListField(_l("Addressed to"), coerce=int, validate_choice=True)
    # No Optional() here: it would stop validate_new_office when the office is left empty.
    new_office = StringField(_l("Office"), validators=[Length(max=200)])
    new_holder = StringField(_l("Holder"), validators=[Optional(), Length(max=200)])
    new_institution = StringField(_l("Institution"), validators=[Optional(), Length(max=200)])
    new_since = DateField(_l("Holder since"), validators=[Optional()])
    goal = IntegerField(_l("Your goal (signatures)"),
                        validators=[Optional(), NumberRange(min=1, max=1_000_000_000)])
    closes_on = DateField(_l("Closing date"), validators=[Optional()])
    language = SelectField(_l("Language"), choices=LANGUAGES, default="en")

    def validate_slug(self, field) -> None:
        if field.data and not SLUG_PATTERN.match(field.data):
            raise ValidationError(_l("Use lower-case letters, digits and single hyphens."))

    def validate_references(self, field) -> None:
        try:
            parse_references(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def validate_new_office(self, field) -> None:
        if not field.data and (self.new_holder.data or self.new_institution.data):
            raise ValidationError(_l("A new addressee needs the office they hold."))

    def validate_demands(self, field) -> None:
        if any(len(line) > 1000 for line in parse_lines(field.data)):
            raise ValidationError(_l("Each demand can have at most 1,000 characters."))


class OutcomeForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=options([
        ("", _l("None")), (Outcome.DELIVERED.value, _l("Delivered")),
        (Outcome.WON.value, _l("Won"))]))
    outcome_on = DateField(_l("Date"), validators=[Optional()])
    outcome_note = TextAreaField(_l("Note shown on the petition"),
                                 validators=[Optional(), Length(max=1000)], render_kw={"rows": 3})

    def validate_outcome_on(self, field) -> None:
        if self.outcome.data and not field.data:
            raise ValidationError(_l("Give the date of the outcome."))


class UpdateForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    body_markdown = TextAreaField(_l("Text (Markdown)"),
                                  validators=[InputRequired(), Length(max=20_000)],
                                  render_kw={"rows": 10})
    mail_signers = BooleanField(_l("Also email it to signers who agreed to hear from us"))
